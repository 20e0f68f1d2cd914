dnl The classic route (phpize && ./configure && make && make install), which
dnl PECL and PIE drive. The extension is Rust: there is no C to compile, so
dnl this only finds cargo, refuses what is not supported, and hands make the
dnl rules of packaging/phpize/Makefile.frag, which run cargo against the PHP
dnl this phpize belongs to and put modules/closte.so where make install
dnl takes it from.

PHP_ARG_ENABLE([closte],
  [whether to enable the closte extension],
  [AS_HELP_STRING([--enable-closte],
    [Build the closte extension (Rust, built by cargo) [yes]])],
  [yes])

PHP_ARG_WITH([cargo],
  [whether a cargo to build with is given],
  [AS_HELP_STRING([--with-cargo=PATH],
    [cargo to build with [cargo on the PATH, else ~/.cargo/bin/cargo]])],
  [no],
  [no])

if test "$PHP_CLOSTE" != "no"; then
  dnl phpize's configure has already asked php_config.h whether this PHP is
  dnl thread-safe; build.rs refuses it too, for cargo builds without phpize.
  if test "$PHP_THREAD_SAFETY" = "yes"; then
    AC_MSG_ERROR([$PHP_EXECUTABLE is a thread-safe (ZTS) PHP. closte supports non-thread-safe (NTS) PHP only: no ZTS build is tested. Use an NTS PHP's phpize and php-config.])
  fi

  AC_MSG_CHECKING([for cargo])
  if test "$PHP_CARGO" != "no" && test "$PHP_CARGO" != "yes"; then
    CLOSTE_CARGO=$PHP_CARGO
  else
    CLOSTE_CARGO=`command -v cargo 2>/dev/null`
    if test -z "$CLOSTE_CARGO" && test -x "$HOME/.cargo/bin/cargo"; then
      CLOSTE_CARGO=$HOME/.cargo/bin/cargo
    fi
  fi
  if test -z "$CLOSTE_CARGO" || ! "$CLOSTE_CARGO" --version >/dev/null 2>&1; then
    AC_MSG_ERROR([cargo not found: install Rust (rustup), or pass --with-cargo=PATH])
  fi
  AC_MSG_RESULT([$CLOSTE_CARGO])

  dnl ext-php-rs reads the PHP it builds against from PHP and PHP_CONFIG,
  dnl and takes PHP_CONFIG only as a path: make the phpize one absolute.
  CLOSTE_PHP_CONFIG=`command -v "$PHP_CONFIG" 2>/dev/null`
  if test -z "$CLOSTE_PHP_CONFIG" || test -z "$PHP_EXECUTABLE"; then
    AC_MSG_ERROR([cannot run $PHP_CONFIG: pass --with-php-config=PATH])
  fi
  AC_MSG_CHECKING([for the PHP that cargo builds against])
  AC_MSG_RESULT([$PHP_EXECUTABLE, $CLOSTE_PHP_CONFIG])

  dnl cargo's own CARGO_TARGET_DIR wins, as it would for cargo itself.
  CLOSTE_TARGET_DIR=${CARGO_TARGET_DIR:-$abs_srcdir/target}

  PHP_MODULES="\$(phplibdir)/closte.so"
  PHP_SUBST(CLOSTE_CARGO)
  PHP_SUBST(CLOSTE_PHP_CONFIG)
  PHP_SUBST(CLOSTE_TARGET_DIR)
  dnl No PHP_NEW_EXTENSION, so the fragment is told its directories.
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/packaging/phpize/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
