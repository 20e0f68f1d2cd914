use super::*;

fn opts(pairs: &[(&str, OptionValue)]) -> Vec<(String, OptionValue)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn key(k: &str) -> impl FnOnce() -> Option<OptionValue> + '_ {
    move || Some(OptionValue::Str(k.to_string()))
}

fn config_error(result: Result<Settings>) -> String {
    match result {
        Err(Error::Configuration { reason: message }) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn defaults_match_the_reference_client() -> Result<()> {
    let s = resolve(&[], &[], &IniValues::default(), key("k"))?;
    assert_eq!(s.api_url.as_str(), format!("{DEFAULT_API_URL}/"));
    assert_eq!(s.api_host(), "app.closte.com");
    assert_eq!(s.proxy, None);
    assert_eq!(s.ca_file, None);
    assert_eq!(s.timeout, Duration::from_secs(45));
    assert_eq!(s.connect_timeout, Duration::from_secs(10));
    assert_eq!(s.retries, 2);
    assert_eq!(s.api_key.expose(), "k");
    Ok(())
}

#[test]
fn options_override_ini_which_overrides_defaults() -> Result<()> {
    let ini = IniValues {
        api_url: Some("http://127.0.0.1:9/api/client/".into()),
        timeout: Some("3.5".into()),
        connect_timeout: Some("1".into()),
        retries: Some("4".into()),
        proxy: Some("http://user:pw@127.0.0.1:3128".into()),
        ca_file: Some("/etc/ssl/inspecting-proxy.pem".into()),
    };
    let from_ini = resolve(&[], &[], &ini, key("k"))?;
    assert_eq!(from_ini.api_url.as_str(), "http://127.0.0.1:9/api/client/");
    assert_eq!(from_ini.api_host(), "127.0.0.1:9");
    assert_eq!(
        from_ini.proxy.as_ref().map(ProxyUrl::shown).as_deref(),
        Some("http://127.0.0.1:3128")
    );
    assert_eq!(
        from_ini.ca_file.as_deref(),
        Some(std::path::Path::new("/etc/ssl/inspecting-proxy.pem"))
    );
    assert_eq!(from_ini.timeout, Duration::from_millis(3500));
    assert_eq!(from_ini.retries, 4);

    let o = opts(&[
        ("timeout", OptionValue::Int(2)),
        ("connect_timeout", OptionValue::Float(0.25)),
        ("retries", OptionValue::Int(0)),
        ("api_key", OptionValue::Str("from-options".into())),
        ("proxy", OptionValue::Str(String::new())),
    ]);
    let from_options = resolve(&o, &[], &ini, || panic!("constant must not be read"))?;
    assert_eq!(from_options.timeout, Duration::from_secs(2));
    assert_eq!(from_options.connect_timeout, Duration::from_millis(250));
    assert_eq!(from_options.retries, 0);
    assert_eq!(from_options.api_key.expose(), "from-options");
    assert_eq!(
        from_options.proxy, None,
        "an empty proxy option turns the ini's off"
    );
    Ok(())
}

#[test]
fn proxy_urls_are_checked_and_their_credentials_never_shown() {
    let bad = |raw: &str| match check_proxy(raw) {
        Err(Error::Configuration { reason }) => reason,
        other => panic!("{raw}: expected a configuration error, got {other:?}"),
    };
    for raw in [
        "socks5://u:secret-pw@h:1080",
        "not a url",
        "http://u:secret-pw@h:1/path",
        "http://h:1/?q=secret-pw",
    ] {
        let reason = bad(raw);
        assert!(!reason.contains("secret-pw"), "{raw}: {reason}");
    }
    let proxy = check_proxy(" http://alice:secret-pw@proxy.example:3128 ")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("a good proxy URL"));
    assert_eq!(proxy.shown(), "http://proxy.example:3128");
    assert_eq!(format!("{proxy:?}"), "ProxyUrl(http://proxy.example:3128)");
    assert_eq!(
        proxy.secrets(),
        vec!["secret-pw".to_string(), "alice".into()]
    );
    assert_eq!(check_proxy("").ok(), Some(None));
}

#[test]
fn missing_empty_or_mistyped_key_is_a_configuration_error() {
    let none = config_error(resolve(&[], &[], &IniValues::default(), || None));
    assert!(none.contains("CLOSTE_CLIENT_API_KEY"));
    assert!(config_error(resolve(&[], &[], &IniValues::default(), key("  "))).contains("empty"));
    let int_key = opts(&[("api_key", OptionValue::Int(5))]);
    assert!(
        config_error(resolve(&int_key, &[], &IniValues::default(), || None)).contains("string")
    );
}

#[test]
fn bad_options_are_named() {
    let ini = IniValues::default();
    let cases: Vec<(Vec<(String, OptionValue)>, &str)> = vec![
        (
            opts(&[("timeot", OptionValue::Int(1))]),
            "Unknown option 'timeot'",
        ),
        (opts(&[("timeout", OptionValue::Int(0))]), "more than 0"),
        (
            opts(&[("timeout", OptionValue::Float(f64::NAN))]),
            "more than 0",
        ),
        (
            opts(&[("timeout", OptionValue::Str("5".into()))]),
            "number of seconds",
        ),
        (
            opts(&[("retries", OptionValue::Int(-1))]),
            "between 0 and 10",
        ),
        (
            opts(&[("retries", OptionValue::Int(11))]),
            "between 0 and 10",
        ),
        (
            opts(&[("api_url", OptionValue::Bool(true))]),
            "must be a string",
        ),
        (
            opts(&[("connect_timeout", OptionValue::Other("array"))]),
            "got array",
        ),
    ];
    for (o, expected) in cases {
        let message = config_error(resolve(&o, &[], &ini, key("k")));
        assert!(message.contains(expected), "{message} / {expected}");
    }
    let extra = opts(&[("concurrency", OptionValue::Int(4))]);
    assert!(resolve(&extra, &["concurrency"], &ini, key("k")).is_ok());
}

#[test]
fn bad_ini_values_are_named() {
    let ini = IniValues {
        timeout: Some("soon".into()),
        ..IniValues::default()
    };
    assert!(config_error(resolve(&[], &[], &ini, key("k"))).contains("closte.timeout in php.ini"));
    let ini = IniValues {
        retries: Some("many".into()),
        ..IniValues::default()
    };
    assert!(config_error(resolve(&[], &[], &ini, key("k"))).contains("closte.retries in php.ini"));
}

#[test]
fn https_required_except_loopback() {
    for good in [
        "https://app.closte.com/api/client",
        "http://127.0.0.1:8080/api/client",
        "http://127.5.6.7/api/client",
        "http://localhost:1/api/client",
        "http://[::1]:8080/api/client",
    ] {
        assert!(check_api_url(good).is_ok(), "{good}");
    }
    for (bad, why) in [
        ("http://app.closte.com/api/client", "loopback"),
        ("http://10.0.0.1/api/client", "loopback"),
        ("http://localhost.evil.com/api/client", "loopback"),
        ("ftp://127.0.0.1/", "not https"),
        ("https://user:pw@app.closte.com/api/client", "credentials"),
        ("https://app.closte.com/api/client?apikey=x", "query"),
        ("app.closte.com/api/client", "absolute"),
    ] {
        match check_api_url(bad) {
            Err(Error::Configuration { reason: m }) => assert!(m.contains(why), "{bad}: {m}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn debug_of_settings_never_shows_the_key() -> Result<()> {
    let s = resolve(&[], &[], &IniValues::default(), key("sk_live_SECRET"))?;
    assert!(!format!("{s:?}").contains("SECRET"));
    Ok(())
}
