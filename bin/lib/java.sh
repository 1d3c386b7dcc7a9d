# Sourced by the launchers: sets BERTH_HOME and JAVA (a JDK 25 or newer), or exits with a message.
BERTH_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

# The major version from the JDK's release file: starting a JVM to ask would cost ~80 ms a command.
java_major() {
    local release
    release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
    if [ -f "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
    else
        "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
    fi
}

find_java() {
    local candidate
    for candidate in "${BERTH_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
        /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        local major
        major=$(java_major "$candidate")
        if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JAVA=$(find_java); then
    echo "berth: needs JDK 25 or newer. Set JAVA_HOME or BERTH_JAVA to one (Debian: /usr/lib/jvm/temurin-25-jdk-amd64; downloads: https://adoptium.net/temurin/releases/?version=25)" >&2
    exit 125
fi
