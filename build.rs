//! Refuses a thread-safe (ZTS) PHP; stamps the git revision into the build,
//! so `closte_version()` and phpinfo tell exactly which source a `.so` on a
//! server came from; and packs the extension's relative relocations where
//! the toolchain can.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    refuse_thread_safe_php();
    pack_relative_relocations();
    let revision =
        git_output(&["rev-parse", "--short=10", "HEAD"]).unwrap_or_else(|| "unknown".to_string());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .is_some_and(|out| out.status.success() && !out.stdout.is_empty());
    let suffix = if dirty && revision != "unknown" {
        ".dirty"
    } else {
        ""
    };
    println!("cargo:rustc-env=CLOSTE_GIT_REVISION={revision}{suffix}");
    // Stamp again when the revision can have moved: HEAD switched, or a
    // commit advanced the branch HEAD points at (HEAD itself does not
    // change then); and when the tree can have become dirty or clean.
    for path in ["HEAD", "index", "packed-refs"] {
        if let Some(path) = git_path(path) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(branch) = git_output(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git_path(&branch) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    for path in ["src", "Cargo.toml", "build.rs"] {
        println!("cargo:rerun-if-changed={path}");
    }
}

/// Only non-thread-safe PHP is built and tested (README, "Supported PHP
/// versions"): a ZTS PHP stops the build here with a message, instead of
/// giving a `.so` that was never run under PHP's threads. The PHP asked is
/// the one ext-php-rs builds against: `$PHP`, else `php` on the PATH. A PHP
/// that does not run is left to ext-php-rs, which says so itself.
fn refuse_thread_safe_php() {
    println!("cargo:rerun-if-env-changed=PHP");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    let php = std::env::var_os("PHP").unwrap_or_else(|| "php".into());
    let Ok(out) = Command::new(&php)
        .args(["-n", "-r", "echo (int) PHP_ZTS;"])
        .stderr(Stdio::null())
        .output()
    else {
        return;
    };
    if out.status.success() && out.stdout.trim_ascii() == b"1" {
        eprintln!(
            "closte: {} is a thread-safe (ZTS) PHP. closte supports non-thread-safe \
             (NTS) PHP only: no ZTS build is tested. Build against an NTS PHP (Debian's \
             php8.x packages are NTS) by setting PHP and PHP_CONFIG to its php and \
             php-config.",
            Path::new(&php).display()
        );
        std::process::exit(1);
    }
}

fn git_output(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// Where git keeps `name` (`.git/HEAD`, `.git/refs/heads/main`, ...), also
/// in a worktree.
/// Only paths that exist: cargo takes a missing one as changed, and would
/// rerun this script (and rebuild the crate) on every build.
fn git_path(name: &str) -> Option<String> {
    git_output(&["rev-parse", "--git-path", name]).filter(|path| Path::new(path).exists())
}

/// Every PHP process maps the extension, calling it or not. With DT_RELR
/// (GNU ld >= 2.38 or lld, glibc >= 2.36: Debian 12 has both) the table of
/// relative relocations shrinks from about 170 KB to 2 KB, pages no process
/// then needs to read (docs/PERFORMANCE.md, idle cost). An older toolchain
/// just gets the ordinary table: the probe links a tiny shared object with
/// the flag and warnings fatal, and the flag is used only if that works.
fn pack_relative_relocations() {
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    if !linux_gnu {
        return;
    }
    let source = out_dir.join("relr_probe.c");
    if std::fs::write(&source, "int closte_relr_probe(void) { return 0; }\n").is_err() {
        return;
    }
    let linked = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args([
            "-shared",
            "-fPIC",
            "-Wl,--fatal-warnings",
            "-Wl,-z,pack-relative-relocs",
            "-o",
        ])
        .arg(out_dir.join("relr_probe.so"))
        .arg(&source)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if linked {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs");
    }
}
