#!/usr/bin/env bash
# Installs everything the local stack needs; cheap to re-run (each step checks
# first). Needs root for apt-get, only when PostgreSQL is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_python_env() {
    local stamp="$VENV/.portico-requirements.sha256" want
    want=$(sha256sum "$PORTICO_ROOT/requirements.txt" | cut -d' ' -f1)
    if [[ ! -x $VENV/bin/python ]]; then
        say "creating virtualenv $VENV"
        python3 -m venv "$VENV"
    fi
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        say "python requirements up to date"
        return 0
    fi
    say "installing python requirements into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PORTICO_ROOT/requirements.txt"
    echo "$want" >"$stamp"
}

install_postgres() {
    if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
        say "postgresql present: $(compgen -G '/usr/lib/postgresql/*/bin/initdb' | tr '\n' ' ')"
        return 0
    fi
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    say "installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q postgresql
}

# The browser tests drive Debian's Chromium (Playwright with executable_path); never a downloaded build.
install_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        say "chromium present: /usr/bin/chromium"
        return 0
    fi
    [[ $EUID -eq 0 ]] || die "Chromium is not installed and installing it needs root (apt-get install chromium)"
    say "installing chromium with apt-get (for the browser tests)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium
}

java_major() {
    # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
}

check_java_and_maven() {
    command -v java >/dev/null || die "java not found: Kafka needs Java 17 or newer (apt-get install openjdk-17-jre-headless)"
    local major
    major=$(java_major)
    [[ -n $major && $major -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17 or newer; found: $(java -version 2>&1 | head -n1)"
    command -v mvn >/dev/null || die "mvn not found: it fetches Kafka from Maven Central (apt-get install maven)"
}

# The jars are cached outside the repo, keyed by the pom's hash so that
# editing deploy/kafka/pom.xml refetches them.
install_kafka() {
    local pom="$PORTICO_ROOT/deploy/kafka/pom.xml" stamp="$KAFKA_HOME/.pom.sha256" want
    want=$(sha256sum "$pom" | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]] && compgen -G "$KAFKA_HOME/libs/kafka_2.13-*.jar" >/dev/null; then
        say "kafka $KAFKA_VERSION jars cached in $KAFKA_HOME/libs"
        return 0
    fi
    check_java_and_maven
    say "fetching kafka $KAFKA_VERSION jars with maven into $KAFKA_HOME/libs"
    rm -rf "$KAFKA_HOME/libs" "$stamp"
    mkdir -p "$KAFKA_HOME"
    # Maven's output goes to a file (Debian's mvn prints stray colour codes even
    # with -q -B) and is shown only when the download fails.
    local log="$KAFKA_HOME/mvn.log"
    if ! mvn -B -f "$pom" dependency:copy-dependencies \
        -DoutputDirectory="$KAFKA_HOME/libs" >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        die "maven could not fetch kafka (full log: $log)"
    fi
    echo "$want" >"$stamp"
}

# The W3C Nu HTML checker (vnu) from Maven Central, which the browser tests run on every page they
# visit; cached like the Kafka jars, keyed by its pom's hash.
install_html_checker() {
    local pom="$PORTICO_ROOT/deploy/html-checker/pom.xml" dir="$PORTICO_CACHE/html-checker" want
    want=$(sha256sum "$pom" | cut -d' ' -f1)
    if [[ -f $dir/.pom.sha256 && $(cat "$dir/.pom.sha256") == "$want" ]] && compgen -G "$dir/libs/validator-*.jar" >/dev/null; then
        say "html checker jars cached in $dir/libs"
        return 0
    fi
    check_java_and_maven
    say "fetching the Nu HTML checker with maven into $dir/libs"
    rm -rf "$dir/libs" "$dir/.pom.sha256"
    mkdir -p "$dir"
    if ! mvn -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$dir/libs" >"$dir/mvn.log" 2>&1; then
        tail -n 60 "$dir/mvn.log" >&2
        die "maven could not fetch the Nu HTML checker (full log: $dir/mvn.log)"
    fi
    echo "$want" >"$dir/.pom.sha256"
}

# Files from the npm registry that tests read (the official AsyncAPI JSON
# Schemas, see deploy/npm/package.json), cached outside the repo like the Kafka
# jars, keyed by the lockfile's hash; tests never fetch them from the web.
install_npm_files() {
    local src="$PORTICO_ROOT/deploy/npm" dir="$PORTICO_CACHE/npm" want
    want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
    if [[ -f $dir/.lock.sha256 && $(cat "$dir/.lock.sha256") == "$want" ]]; then
        say "npm files cached in $dir/node_modules"
        return 0
    fi
    command -v npm >/dev/null || die "npm not found: it fetches the AsyncAPI schemas (apt-get install npm)"
    say "installing npm files (deploy/npm/package-lock.json) into $dir"
    mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
        die "npm could not install deploy/npm/package-lock.json into $dir"
    echo "$want" >"$dir/.lock.sha256"
}

main() {
    install_python_env
    install_postgres
    install_chromium
    check_java_and_maven
    install_kafka
    install_html_checker
    install_npm_files
}

main "$@"
