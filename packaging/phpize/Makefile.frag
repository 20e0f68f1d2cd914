# Included by the Makefile that phpize and ./configure make (config.m4).
# make asks cargo only when a Rust source, a manifest or the lock file is
# newer than modules/closte.so, so the `sudo make install` that PIE runs
# copies what `make` built and never runs cargo as root. cargo itself
# decides what to recompile.
CLOSTE_SOURCES = $(shell find $(srcdir)/src $(srcdir)/core/src -name '*.rs') \
	$(srcdir)/build.rs $(srcdir)/Cargo.toml $(srcdir)/Cargo.lock $(srcdir)/core/Cargo.toml

$(phplibdir)/closte.so: $(CLOSTE_SOURCES)
	cd $(srcdir) && PHP="$(PHP_EXECUTABLE)" PHP_CONFIG="$(CLOSTE_PHP_CONFIG)" \
		"$(CLOSTE_CARGO)" build --release --locked -p closte --target-dir "$(CLOSTE_TARGET_DIR)"
	@mkdir -p $(phplibdir)
	cp "$(CLOSTE_TARGET_DIR)/release/libcloste.so" $@
