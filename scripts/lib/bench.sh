# Shared by scripts/make-bench, scripts/run-tests and scripts/dev-server (sourced, not run).
#
# Variables (all optional):
#   FRAPPE_BENCH_PATH       the bench (default ~/frappe-bench)
#   FRAPPE_REPO             Frappe's source: a git URL, a local checkout or a git bundle file
#                           (default https://github.com/frappe/frappe)
#   ERPNEXT_REPO            ERPNext's source, the same kinds (default https://github.com/frappe/erpnext)
#   FRAPPE_VERSION          the major version of Frappe and ERPNext, 15 or 16 (default: from FRAPPE_BRANCH, else 15)
#   FRAPPE_BRANCH           the branch of both (default version-$FRAPPE_VERSION); ERPNEXT_BRANCH overrides ERPNext's
#   FRAPPE_PYTHON           the Python of a new bench (default: the first of python3.N… and python3 new enough for
#                           the version: 3.10+ for 15, 3.14+ for 16); Node.js 18+ for 15, 24+ for 16
#   FRAPPE_DB_HOST / FRAPPE_DB_PORT   the MariaDB server (default 127.0.0.1 / 3306), written into a new bench's config
#   FRAPPE_REDIS_CACHE_PORT / FRAPPE_REDIS_QUEUE_PORT   a new bench's Redis ports (default bench's 13000 / 11000;
#                           another bench on the same machine needs its own)
#   FRAPPE_DB_ROOT_USER / FRAPPE_DB_ROOT_PASSWORD   the MariaDB root login (default root / root)
#   CRM_CLIENTS_CACHE       where bundles are unpacked (default ~/.cache/crm_clients)
#   CRM_SYSTEM_PACKAGES     "present": do not check the system packages (e.g. GitHub Actions' service containers)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench_path="$(realpath -m "${FRAPPE_BENCH_PATH:-$HOME/frappe-bench}")"
db_root_user="${FRAPPE_DB_ROOT_USER:-root}"
db_root_password="${FRAPPE_DB_ROOT_PASSWORD:-root}"
if [ -n "${FRAPPE_VERSION:-}" ]; then
	frappe_major="$FRAPPE_VERSION"
elif [[ "${FRAPPE_BRANCH:-}" =~ ^version-([0-9]+) ]]; then
	frappe_major="${BASH_REMATCH[1]}"
else
	frappe_major=15
fi
case "$frappe_major" in
15) python_minimum=3.10 python_below=3.14 node_minimum=18 ;; # Frappe's pyproject.toml and package.json
16) python_minimum=3.14 python_below=3.15 node_minimum=24 ;;
*)
	printf '\n!!! FRAPPE_VERSION must be 15 or 16 (got %s)\n' "$frappe_major" >&2
	exit 1
	;;
esac
frappe_branch="${FRAPPE_BRANCH:-version-$frappe_major}"
db_host="${FRAPPE_DB_HOST:-127.0.0.1}"
db_port="${FRAPPE_DB_PORT:-3306}"
erpnext_branch="${ERPNEXT_BRANCH:-$frappe_branch}"
frappe_repo="${FRAPPE_REPO:-https://github.com/frappe/frappe}"
erpnext_repo="${ERPNEXT_REPO:-https://github.com/frappe/erpnext}"
sources_cache="${CRM_CLIENTS_CACHE:-$HOME/.cache/crm_clients}/sources"

# Debian packages the bench, the tests and the app need (scripts/make-bench installs the missing ones)
SYSTEM_PACKAGES=(
	mariadb-server mariadb-client libmariadb-dev pkg-config redis-server
	git curl build-essential python3-dev python3-venv cron
	tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng chromium fonts-dejavu-core fonts-liberation
)
# the command each package provides, to tell whether it is there without dpkg (other distributions)
declare -A PACKAGE_COMMANDS=(
	[mariadb-server]=mariadbd [mariadb-client]=mariadb [redis-server]=redis-server [git]=git [curl]=curl
	[build-essential]=gcc [pkg-config]=pkg-config [tesseract-ocr]=tesseract [chromium]=chromium
)

say() { printf '\n=== %s\n' "$*" >&2; }
die() {
	printf '\n!!! %s\n' "$*" >&2
	exit 1
}

is_root() { [ "$(id -u)" = "0" ]; }

bench_exists() { [ -x "$bench_path/env/bin/python" ] && [ -d "$bench_path/apps/frappe" ]; }
bench_has_erpnext() { [ -d "$bench_path/apps/erpnext" ] && grep -qx erpnext "$bench_path/sites/apps.txt" 2>/dev/null; }

bench() { (cd "$bench_path" && command bench "$@"); }

# --- system packages

package_missing() {
	local package="$1"
	if command -v dpkg-query >/dev/null 2>&1; then
		[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]
	else
		local command="${PACKAGE_COMMANDS[$package]:-}"
		[ -n "$command" ] && ! command -v "$command" >/dev/null 2>&1
	fi
}

ensure_system_packages() {
	[ "${CRM_SYSTEM_PACKAGES:-}" = "present" ] && return 0 # services and tools provided otherwise (containers)
	local missing=() package
	for package in "$@"; do
		package_missing "$package" && missing+=("$package")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if is_root && command -v apt-get >/dev/null 2>&1; then
		say "installing system packages: ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	else
		die "missing system packages: ${missing[*]} — install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}), or run this as root on Debian/Ubuntu"
	fi
}

ensure_node() {
	command -v node >/dev/null 2>&1 || ensure_system_packages nodejs npm
	local major
	major="$(node -e 'console.log(process.versions.node.split(".")[0])')"
	[ "$major" -ge "$node_minimum" ] || die "Frappe $frappe_major needs Node.js $node_minimum or newer, found $(node --version) — install it (your OS packages, nodesource, nvm or fnm) and put it first on PATH"
	if ! command -v yarn >/dev/null 2>&1; then
		say "installing yarn (npm install -g yarn)"
		npm install -g --silent yarn >&2 || die "could not install yarn: run 'npm install -g yarn'"
	fi
}

# --- Python

python_version_ok() {
	"$1" -c "import sys; v = lambda t: tuple(map(int, t.split('.'))); sys.exit(not v('$python_minimum') <= sys.version_info[:2] < v('$python_below'))" 2>/dev/null
}

# The Python of a new bench: FRAPPE_PYTHON, else the first of python3 and python3.N that Frappe's version takes
find_python() {
	if [ -n "${FRAPPE_PYTHON:-}" ]; then
		python_version_ok "$FRAPPE_PYTHON" || die "FRAPPE_PYTHON=$FRAPPE_PYTHON is not the Python $python_minimum (up to $python_below) that Frappe $frappe_major needs"
		command -v "$FRAPPE_PYTHON"
		return
	fi
	local candidate version found=()
	for candidate in python3 python3.14 python3.13 python3.12 python3.11 python3.10; do
		# (a pyenv shim of a version that is not selected fails: not there)
		version="$("$candidate" -c 'import platform; print(platform.python_version())' 2>/dev/null)" || continue
		found+=("$candidate ($version)")
		if python_version_ok "$candidate"; then
			command -v "$candidate"
			return
		fi
	done
	die "Frappe $frappe_major needs Python $python_minimum (below $python_below; with venv and its headers); found: ${found[*]:-no python3}.
    Install it — your OS packages (e.g. python$python_minimum python$python_minimum-venv python$python_minimum-dev), pyenv
    (pyenv install $python_minimum) or uv (uv python install $python_minimum) — then put it on PATH or set FRAPPE_PYTHON to it."
}

# --- MariaDB

mariadb_alive() {
	# exits 0 whenever the server answers, even when the login is refused
	mysqladmin --protocol=tcp -h "$db_host" -P "$db_port" ping >/dev/null 2>&1
}

configure_mariadb() {
	# Frappe needs utf8mb4 (its own installation guide); written once, before the server starts
	local conf=/etc/mysql/mariadb.conf.d/99-frappe.cnf
	[ -d /etc/mysql/mariadb.conf.d ] && is_root || return 0
	[ -f "$conf" ] && return 0
	cat >"$conf" <<-'EOF'
		# written by crm_clients' scripts: the character set Frappe needs
		[mysqld]
		character-set-client-handshake = FALSE
		character-set-server = utf8mb4
		collation-server = utf8mb4_unicode_ci

		[mysql]
		default-character-set = utf8mb4
	EOF
	if mariadb_alive; then
		say "restarting MariaDB for utf8mb4"
		service mariadb restart >/dev/null 2>&1 || true
	fi
}

start_mariadb() {
	configure_mariadb
	if mariadb_alive; then return 0; fi
	say "starting MariaDB"
	service mariadb start >/dev/null 2>&1 || service mysql start >/dev/null 2>&1 || {
		(mysqld_safe >/dev/null 2>&1 &)
	}
	for _ in $(seq 1 60); do
		mariadb_alive && return 0
		sleep 1
	done
	die "MariaDB did not start"
}

ensure_db_root_login() {
	# Debian's MariaDB lets the system root in through its socket only; Frappe logs in with a password
	local sql_login=(mariadb --protocol=tcp -h "$db_host" -P "$db_port"
		-u "$db_root_user" "-p$db_root_password")
	"${sql_login[@]}" -e "SELECT 1" >/dev/null 2>&1 && return 0
	if is_root && [ "$db_root_user" = "root" ] && mariadb -u root -e "SELECT 1" >/dev/null 2>&1; then
		say "giving MariaDB's root the password of FRAPPE_DB_ROOT_PASSWORD (and keeping its socket login)"
		mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$db_root_password'); FLUSH PRIVILEGES;"
		"${sql_login[@]}" -e "SELECT 1" >/dev/null 2>&1 && return 0
	fi
	die "cannot log in to MariaDB as $db_root_user: set FRAPPE_DB_ROOT_USER / FRAPPE_DB_ROOT_PASSWORD"
}

# --- Redis (the bench's own servers, config/redis_*.conf)

start_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$bench_path/config/$conf.conf" ] || continue
		port=$(awk '$1 == "port" {print $2}' "$bench_path/config/$conf.conf")
		if redis-cli -p "$port" ping >/dev/null 2>&1; then continue; fi
		say "starting Redis ($conf, port $port)"
		(cd "$bench_path" && redis-server "config/$conf.conf" --daemonize yes >/dev/null)
		for _ in $(seq 1 30); do
			redis-cli -p "$port" ping >/dev/null 2>&1 && break
			sleep 0.5
		done
	done
}

start_services() {
	start_mariadb
	ensure_db_root_login
	start_redis
}

# --- the bench

ensure_bench_cli() {
	# frappe-bench 5.30+ makes the bench's env with uv unless BENCH_DISABLE_UV is set
	if ! command -v uv >/dev/null 2>&1 && [ -z "${BENCH_DISABLE_UV:-}" ]; then
		say "installing uv (frappe-bench makes the bench's env with it; BENCH_DISABLE_UV=1 to use pip)"
		if is_root; then python3 -m pip install --quiet uv >&2; else python3 -m pip install --quiet --user uv >&2; fi
		PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$HOME/.local/bin:$PATH"
		export PATH
		command -v uv >/dev/null 2>&1 || die "uv is not on PATH after 'pip install uv': install it (https://docs.astral.sh/uv/) or set BENCH_DISABLE_UV=1"
	fi
	# type -P: the executable on PATH, not the bench() function above
	if type -P bench >/dev/null 2>&1; then return 0; fi
	say "installing frappe-bench (the bench CLI) from PyPI"
	if is_root; then
		python3 -m pip install --quiet frappe-bench >&2
	else
		python3 -m pip install --quiet --user frappe-bench >&2
		export PATH="$HOME/.local/bin:$PATH"
	fi
	# where pip put the script (a pyenv or venv Python's own scripts folder may not be on PATH yet)
	PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
	export PATH
	type -P bench >/dev/null 2>&1 || die "the bench CLI is not on PATH after 'pip install frappe-bench'"
}

# Stops, saying what to do, when `source` (a git URL or a local checkout) has no `branch` or cannot be reached
# (a machine without the network): a bench can be made from local checkouts instead.
check_source() {
	local source="$1" branch="$2" name="$3" variable
	variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_REPO"
	if GIT_TERMINAL_PROMPT=0 timeout 120 git ls-remote --exit-code --heads "$source" "$branch" >/dev/null 2>&1; then
		return 0
	fi
	die "the bench $bench_path needs $name, but its branch $branch cannot be read from $source (no network, or no such branch).
    Point $variable at a local checkout (or a git bundle file) of $name that has the branch $branch, e.g.
      git clone --branch $branch https://github.com/frappe/$name /path/to/$name   # on a machine with the network
      FRAPPE_REPO=/path/to/frappe ERPNEXT_REPO=/path/to/erpnext $0
    or set FRAPPE_BENCH_PATH to an existing bench with Frappe and ERPNext."
}

# A source as bench takes it: a git URL or a local checkout as is; a bundle file is cloned first.
resolve_source() {
	local source="$1" branch="$2" name="$3"
	if [ ! -f "$source" ]; then
		check_source "$source" "$branch" "$name"
	fi
	if [ -f "$source" ]; then
		local checkout="$sources_cache/$name" wanted
		wanted="$(git ls-remote "$source" "refs/heads/$branch" | cut -f1)"
		[ -n "$wanted" ] || die "$source has no branch $branch"
		if [ "$(git -C "$checkout" rev-parse HEAD 2>/dev/null)" != "$wanted" ]; then
			rm -rf "$checkout"
			mkdir -p "$sources_cache"
			git clone --quiet --branch "$branch" "$source" "$checkout" >&2
		fi
		echo "$checkout"
	else
		echo "$source"
	fi
}

# bench refuses to run as root unless the bench's config names the user it runs as
allow_root_bench() {
	local config="$1/sites/common_site_config.json"
	is_root || return 0
	mkdir -p "$1/sites"
	python3 -c 'import json, os, sys
path = sys.argv[1]
config = json.load(open(path)) if os.path.exists(path) else {}
if config.get("frappe_user") != "root":
    config["frappe_user"] = "root"
    json.dump(config, open(path, "w"), indent=1, sort_keys=True)' "$config"
}

# A new bench's MariaDB server and Redis ports, when they are not the defaults (another bench on the machine)
configure_bench_servers() {
	local config="$1/sites/common_site_config.json"
	python3 -c 'import json, os, sys
path, host, port, cache, queue = sys.argv[1:]
config = json.load(open(path)) if os.path.exists(path) else {}
if host != "127.0.0.1" or port != "3306":
    config.update(db_host=host, db_port=int(port))
if cache:
    config["redis_cache"] = f"redis://127.0.0.1:{cache}"
if queue:
    config["redis_queue"] = f"redis://127.0.0.1:{queue}"
json.dump(config, open(path, "w"), indent=1, sort_keys=True)' "$config" "$db_host" "$db_port" \
		"${FRAPPE_REDIS_CACHE_PORT:-}" "${FRAPPE_REDIS_QUEUE_PORT:-}"
	[ -n "${FRAPPE_REDIS_CACHE_PORT:-}" ] && [ -f "$1/config/redis_cache.conf" ] &&
		sed -i "s/^port .*/port $FRAPPE_REDIS_CACHE_PORT/" "$1/config/redis_cache.conf"
	[ -n "${FRAPPE_REDIS_QUEUE_PORT:-}" ] && [ -f "$1/config/redis_queue.conf" ] &&
		sed -i "s/^port .*/port $FRAPPE_REDIS_QUEUE_PORT/" "$1/config/redis_queue.conf"
	return 0
}

# setuptools 80 dropped pkg_resources, which Frappe 15's build still imports
write_build_constraints() {
	local constraints="$sources_cache/../constraints.txt"
	mkdir -p "$sources_cache"
	echo "setuptools<80" >"$constraints"
	constraints="$(realpath "$constraints")"
	export UV_CONSTRAINT="$constraints" UV_BUILD_CONSTRAINT="$constraints" PIP_CONSTRAINT="$constraints"
}

# The bench's Frappe major version must be the one asked for (FRAPPE_VERSION or FRAPPE_BRANCH), when asked
check_bench_version() {
	[ -n "${FRAPPE_VERSION:-}${FRAPPE_BRANCH:-}" ] || return 0
	local installed
	installed="$(sed -n 's/^__version__ = "\([0-9]*\)\..*/\1/p' "$bench_path/apps/frappe/frappe/__init__.py")"
	[ -z "$installed" ] || [ "$installed" = "$frappe_major" ] ||
		die "the bench $bench_path has Frappe $installed, not $frappe_major: set FRAPPE_BENCH_PATH to another bench"
}

ensure_bench() {
	if bench_exists && bench_has_erpnext; then
		check_bench_version
		allow_root_bench "$bench_path"
		return 0
	fi
	local python frappe_source erpnext_source started=$SECONDS
	python="$(find_python)" # first: what is missing is said before anything is installed
	ensure_system_packages "${SYSTEM_PACKAGES[@]}"
	ensure_node
	start_mariadb
	ensure_db_root_login
	ensure_bench_cli
	write_build_constraints

	if ! bench_exists; then
		[ -e "$bench_path" ] && [ -n "$(ls -A "$bench_path" 2>/dev/null)" ] &&
			die "$bench_path exists but is not a bench with Frappe: move it away or set FRAPPE_BENCH_PATH"
		rm -rf "$bench_path"
		frappe_source="$(resolve_source "$frappe_repo" "$frappe_branch" frappe)"
		say "creating the bench $bench_path: Frappe $frappe_branch from $frappe_repo (several minutes)"
		local launch
		launch="$(mktemp -d)"
		allow_root_bench "$launch"
		(cd "$launch" && command bench init --skip-assets --frappe-path "$frappe_source" \
			--frappe-branch "$frappe_branch" --python "$python" "$bench_path") >&2
		rm -rf "$launch"
		configure_bench_servers "$bench_path"
	fi
	allow_root_bench "$bench_path"

	if ! bench_has_erpnext; then
		erpnext_source="$(resolve_source "$erpnext_repo" "$erpnext_branch" erpnext)"
		say "getting ERPNext $erpnext_branch from $erpnext_repo"
		if [ -d "$bench_path/apps/erpnext" ]; then
			rm -rf "$bench_path/apps/erpnext" # an interrupted get-app
		fi
		bench get-app --skip-assets --branch "$erpnext_branch" "$erpnext_source" >&2
	fi
	say "building the desk's assets"
	bench build >&2
	say "bench ready in $((SECONDS - started)) s"
}

# The bench's crm_clients is this checkout (a symlink), installed editable into the bench's env
link_checkout() {
	local target="$bench_path/apps/crm_clients"
	if [ -L "$target" ] || [ ! -e "$target" ]; then
		ln -sfn "$repo" "$target"
	elif [ "$(cd "$target" && pwd -P)" != "$(cd "$repo" && pwd -P)" ]; then
		die "$target is another copy of crm_clients; move it away or set FRAPPE_BENCH_PATH"
	fi
	write_build_constraints
	"$bench_path/env/bin/python" -m pip install --quiet -e "$repo" >&2
	grep -qx "crm_clients" "$bench_path/sites/apps.txt" || printf '\ncrm_clients\n' >>"$bench_path/sites/apps.txt"
	sed -i '/^$/d' "$bench_path/sites/apps.txt"
	# the desk loads the app's public files from sites/assets/crm_clients, the link `bench build` makes
	local assets="$bench_path/sites/assets"
	if [ -d "$assets" ] && { [ -L "$assets/crm_clients" ] || [ ! -e "$assets/crm_clients" ]; }; then
		ln -sfn "$bench_path/apps/crm_clients/crm_clients/public" "$assets/crm_clients"
	fi
}

# --- the browser tests (tests/e2e): the desk's built assets and Debian's chromium

ensure_desk_assets() {
	[ -f "$bench_path/sites/assets/assets.json" ] && return 0
	ensure_node
	say "building the desk's assets (bench build)"
	bench build >&2
}

ensure_browser() {
	[ -n "${CRM_E2E_CHROMIUM:-}" ] && return 0 # another Chromium, e.g. Google Chrome on a CI runner
	package_missing chromium || return 0
	if is_root && command -v apt-get >/dev/null 2>&1; then
		ensure_system_packages chromium fonts-dejavu-core fonts-liberation
	else
		say "chromium is missing: the browser tests (tests/e2e) are skipped — sudo apt-get install chromium, or set CRM_E2E_CHROMIUM"
	fi
}
