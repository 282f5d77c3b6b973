# smup: the front door. Everything real happens in CMake (build), ctest (unit tests),
# pg_prove in a throwaway cluster (SQL tests) and scripts/ (demo, bench).
#   make deps      install the Debian packages smup needs (no-op when present)
#   make           build the core, the unit tests and the extension
#   make install   install into the PostgreSQL that pg_config names
#   make check     deps + build + install + every test
#   make demo      deps + build + install + a local cluster with the real data (see README)
#   make demo-stop stop the demo cluster
#   make bench     benchmarks against the idiomatic SQL/PostGIS way
#   make check-asan  the unit tests under AddressSanitizer and UndefinedBehaviorSanitizer
#   make fuzz      libFuzzer on the C API's parsers, FUZZ_SECONDS each (clang), then sqlsmith
PG_MAJOR    ?= 15
BUILD_DIR   ?= build
BUILD_TYPE  ?= RelWithDebInfo
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)

DEB_PACKAGES = cmake g++ make gzip \
  postgresql-$(PG_MAJOR) postgresql-server-dev-$(PG_MAJOR) postgresql-$(PG_MAJOR)-postgis-3 \
  postgresql-$(PG_MAJOR)-pgtap libtap-parser-sourcehandler-pgtap-perl \
  libboost-dev libboost-math-dev googletest libgtest-dev \
  default-jdk-headless libpostgresql-jdbc-java \
  chromium fonts-dejavu-core

# Root installs directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build install check unit-test sql-test demo demo-stop bench clean check-asan fuzz

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "make deps: installing $$missing"; \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing \
	    || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; }; \
	else echo "make deps: all Debian packages present"; fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPG_CONFIG=$$(command -v pg_config)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

install: build
	$(SUDO) cmake --install $(BUILD_DIR)

unit-test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

sql-test: install
	pg_virtualenv -t -v $(PG_MAJOR) test/run_sql_tests.sh

check: deps
	$(MAKE) unit-test
	$(MAKE) sql-test

demo: deps install
	scripts/demo.sh start

demo-stop:
	scripts/demo.sh stop

# the server sized as a DBA would for the scale case's 2 GB (with PostgreSQL's defaults, 128 MB
# of buffers and 1 GB of WAL between checkpoints, a rebuild would measure the OS cache and
# checkpoints every 20 seconds)
bench: deps install
	pg_virtualenv -t -v $(PG_MAJOR) -o shared_buffers=2GB -o effective_cache_size=12GB -o max_wal_size=8GB bench/run.sh

SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPG_CONFIG=$$(command -v pg_config) \
	      "-DCMAKE_CXX_FLAGS=$(SANITIZE)" "-DCMAKE_EXE_LINKER_FLAGS=$(SANITIZE)"
	cmake --build build-asan -j$(JOBS) --target smup_unit_tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j$(JOBS)

FUZZ_SECONDS ?= 60
SQLSMITH_QUERIES ?= 3000
fuzz: deps
	$(MAKE) deps DEB_PACKAGES="clang sqlsmith"
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPG_CONFIG=$$(command -v pg_config) -DSMUP_FUZZ=ON \
	      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	      "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
	cmake --build build-fuzz -j$(JOBS) --target fuzz_teryt fuzz_csv fuzz_wkb fuzz_distribution
	mkdir -p build-fuzz/corpus
	for f in fuzz_teryt fuzz_csv fuzz_wkb fuzz_distribution; do \
	    mkdir -p build-fuzz/corpus/$$f && \
	    build-fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build-fuzz/corpus/$$f test/fuzz/seeds/$$f \
	        > build-fuzz/$$f.log 2>&1 || { tail -40 build-fuzz/$$f.log; exit 1; }; \
	    echo "$$f: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/$$f.log | grep -o '[0-9]*$$') runs, no crash"; \
	done
	$(MAKE) install
	pg_virtualenv -t -v $(PG_MAJOR) scripts/sqlsmith.sh $(SQLSMITH_QUERIES)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
