/*
 * The tables of optable.h.  Prose is written once, unwrapped: `gwc help`
 * wraps it to the terminal's 80 columns, the man page lets roff fill it.
 */
#include "optable.h"

#include "base/array.h"

#include "cli.h"
#include "plan/plan.h"

#include <string.h>

#define ALL CLI_FOR_INPUT
#define CONTROLLER CLI_FOR_CONTROLLER
#define CHECK CLI_FOR(CMD_CHECK)
#define COMPILE CLI_FOR(CMD_COMPILE)
#define STATUS CLI_FOR(CMD_STATUS)
#define IMPORT CLI_FOR(CMD_IMPORT)
#define ROUTING CLI_FOR_ROUTING
#define EXPLAIN_REQUEST CLI_FOR(CMD_EXPLAIN_REQUEST)
#define TEST CLI_FOR(CMD_TEST)
#define GRAPH CLI_FOR(CMD_GRAPH)

const char cli_about[] =
    "gwc compiles Kubernetes Gateway API manifests into nginx configuration, "
    "offline, and reports what a conformant controller would report.";

const char cli_paths_text[] =
    "PATH is a file, a directory (read recursively: *.yaml, *.yml and *.json "
    "files, in byte order of their paths) or - for standard input.  "
    "Multi-document streams and kind: List are read.";

const char cli_limits_text[] =
    "Hostile input is refused with a positioned error: files over 32 MiB, "
    "nesting deeper than 64 levels, more than 1,000,000 YAML nodes in one "
    "document, YAML aliases, duplicate keys, invalid UTF-8, NUL bytes and "
    "control characters.";

const struct cli_command cli_commands[] = {
    {CMD_CHECK, "check", "[options] PATH...",
     "validate manifests; write nothing",
     "Loads and validates the manifests as the API server and a conformant "
     "controller would, and prints every problem as\n"
     "\n"
     "  file:line:col: severity: field.path: message [GWnnnn]\n"
     "\n"
     "Nothing is written."},
    {CMD_COMPILE, "compile", "-o DIR [options] PATH...",
     "validate, then write nginx config into DIR",
     "Validates the manifests, then writes DIR/nginx.conf (complete, keeping "
     "its pid, logs and temporary files in DIR: run it as any user with "
     "nginx -p DIR/ -c nginx.conf), DIR/http.conf (an http{} fragment), "
     "DIR/stream.conf (a stream{} fragment, when L4 routes exist) and "
     "DIR/certs/.  When the manifests are invalid (what the API server would "
     "refuse) nothing is written.  Controller findings (a route not accepted, "
     "a missing backend) do not stop the output: gwc writes what a conformant "
     "controller would program around them, and exits 1.  What nginx 1.22 "
     "cannot express exactly is reported where it is written (GW07xx).\n"
     "\n"
     "gwc never removes or overwrites a file it did not write.  It writes into "
     "DIR only when DIR does not exist, is empty, or was written by gwc before "
     "(DIR/.gwc-output lists the files gwc wrote); then it replaces exactly "
     "those files, each atomically and only after all are written, and leaves "
     "every other file (nginx's logs and pid file, your own files) alone.  "
     "Anything else is refused with exit status 2."},
    {CMD_STATUS, "status", "[options] PATH...",
     "print the status a controller would write",
     "Prints, for every GatewayClass, Gateway, ListenerSet, route and "
     "BackendTLSPolicy, the status a conformant controller that gives every "
     "Gateway addresses of its own would compute: conditions, listeners with "
     "attachedRoutes and supportedKinds, route parents.  The output is "
     "deterministic and has no timestamps.  compile's options that shape the "
     "nginx configuration (--listen-address, --port-map, --modules-dir, "
     "--socket-dir, --secrets-dir, --configmaps-dir, --resolver) are accepted, "
     "so that one command line or gwc.yaml serves every command, and change "
     "nothing.  Diagnostics go to standard error as text."},
    {CMD_IMPORT, "import-ingress", "[options] PATH...",
     "Ingresses of another controller to Gateway API",
     "Converts the Ingress objects and custom resources of another controller "
     "(ingress-nginx, F5 NGINX Ingress Controller, Traefik Proxy or Contour; "
     "with the "
     "IngressClass, Service, Secret and ConfigMap objects around them) into "
     "Gateway API YAML on standard output, and reports on standard error "
     "everything that was converted approximately or not at all.  "
     "ingress-nginx annotations that Gateway API lacks (address lists, basic "
     "and external auth, body and rate limits, backend timeouts) become gwc "
     "policies (AccessPolicy, ClientPolicy, BackendPolicy).  Access control "
     "that cannot be carried over exactly fails closed: the affected paths "
     "answer 403 (ingress-nginx; --allow-insecure-import serves them) or 500 "
     "(the other providers).\n"
     "\n"
     "Exit 0 when everything converted exactly, 1 when something was "
     "approximated or could not be carried over (with --fail-on=error: only "
     "the latter)."},
    {CMD_EXPLAIN_REQUEST, "explain-request", "[options] URL PATH...",
     "which route answers a request, and why",
     "Says which Gateway listener, route, rule and match answer the request, "
     "with what (the backends a split may choose with their weights, or the "
     "status nginx answers itself, with the Location of a redirect), how the "
     "request is sent on (path, Host, headers), and why every other candidate "
     "lost, in precedence order.  The answer is read from the configuration "
     "gwc compile writes.  The URL's scheme and port choose the listener: "
     "write the Gateway's own port; --port-map is applied as compile applies "
     "it.\n"
     "\n"
     "  gwc explain-request -H 'X-Canary: 1' http://shop.example.com/ dir/\n"
     "\n"
     "Exit 0 when the request was explained, 1 when the manifests hold what "
     "the API server would refuse."},
    {CMD_TEST, "test", "[options] PATH...", "run the RoutingTests in the input",
     "Runs every case of every RoutingTest (gwc.dev/v1alpha1) in the input "
     "against the configuration gwc compile writes and prints one line per "
     "case.  Exit 1 when a case fails or no RoutingTest is found.  check and "
     "compile run the same cases and report a failing one as an error at the "
     "case (GW1001).\n"
     "\n"
     "--verify-nginx also sends every plain-HTTP case's request to the real "
     "nginx serving the compiled configuration on 127.0.0.1, with a stub per "
     "Service that answers with its name, and fails a case nginx answers "
     "otherwise (GW1004).  Everything it starts is stopped, and its temporary "
     "directory removed, also on failure."},
    {CMD_GRAPH, "graph", "[options] PATH...", "draw the routing",
     "Draws the routing of the input: GatewayClasses, Gateways, listeners, "
     "routes (an edge per parentRef, labelled Accepted or with the reason it "
     "is not) and backends (rule and weight, and the ReferenceGrant that lets "
     "a reference cross namespaces).  What the controller refuses is drawn "
     "red and dashed.\n"
     "\n"
     "  gwc graph --format svg manifests/ > routing.svg"},
    {CMD_EXPLAIN, "explain", "CODE...", "what a diagnostic code means, and its fix",
     "Prints the catalogue entry of each CODE (GW0605, or its name, "
     "ref-assumed): what it means, an example that triggers it, how to fix "
     "it, its default severity, and whether it can be silenced.  The whole "
     "catalogue is docs/diagnostics.md."},
    {CMD_HELP, "help", "[COMMAND]", "show help for gwc or for a command",
     "Shows help for gwc, or the options of one command."},
    {CMD_VERSION, "version", "", "print the version (also: gwc --version)",
     "Prints gwc's version."},
};
const size_t cli_n_commands = ARRAY_SIZE(cli_commands);

const struct cli_exit_status cli_exit_statuses[] = {
    {EXIT_CLEAN, "no errors"},
    {EXIT_FINDINGS, "errors found (warnings too with --fail-on=warning; never "
                    "with --fail-on=never), or an import-ingress that converts "
                    "nothing"},
    {EXIT_USAGE, "usage error, a settings file that cannot be used, an "
                 "input path that cannot be read, or paths that hold no manifest "
                 "(without --allow-empty)"},
    {EXIT_INTERNAL, "internal error"},
};
const size_t cli_n_exit_statuses =
    ARRAY_SIZE(cli_exit_statuses);

const struct cli_option cli_options[] = {
    {OPT_OUTPUT, "output", 'o', "DIR", false, COMPILE, NULL, COMPLETE_DIR,
     NULL, NULL, "output directory (required)", NULL},
    {OPT_FORCE, "force", 0, NULL, false, COMPILE | IMPORT, NULL, COMPLETE_NONE, NULL, NULL,
     "write into DIR although gwc did not write it before, overwriting files "
     "with the names of gwc's; still no other file is touched",
     NULL},
    {OPT_OUTPUT, "output", 'o', "PATH", false, IMPORT, NULL, COMPLETE_FILE,
     NULL, "standard output",
     "write the Gateway API YAML to the file PATH, atomically; or, when PATH "
     "is a directory or ends in /, one file per namespace and kind "
     "(PATH/NAMESPACE/httproutes.yaml, ...; cluster-scoped objects in "
     "PATH/_cluster/)",
     "A directory is written as compile -o DIR writes its own: only when it "
     "does not exist, is empty, or was written by gwc before (PATH/.gwc-output "
     "lists gwc's files); then exactly gwc's files are replaced, each "
     "atomically, and a file of an earlier run that this one does not write "
     "is removed.  Anything else is refused with exit status 2 (GW0903) "
     "unless --force."},
    {OPT_FORMAT, "format", 0, "FMT", false, CHECK | COMPILE | IMPORT,
     "text|gcc|json|sarif|github|junit", COMPLETE_NONE, NULL, "text",
     "how diagnostics are written: text (gcc is the same) on standard error; "
     "json, sarif (SARIF 2.1.0), github (workflow commands) or junit (JUnit "
     "XML) on standard output, or on standard error when the command's own "
     "output is there (import-ingress without -o), or into the --report file",
     NULL},
    {OPT_REPORT, "report", 0, "FILE", false, CHECK | COMPILE | IMPORT, NULL,
     COMPLETE_FILE, NULL, NULL,
     "write the diagnostics, in the --format chosen, to FILE (atomically); "
     "standard error still shows them as text",
     NULL},
    {OPT_ROOT, "root", 0, "DIR", false, CHECK | COMPILE | IMPORT, NULL,
     COMPLETE_DIR, NULL, "the current directory",
     "the directory SARIF file URIs are relative to (%SRCROOT%), usually "
     "the repository's top directory; files outside it get absolute URIs",
     NULL},
    {OPT_STATUS_FORMAT, "format", 0, "FMT", false, STATUS, "yaml|json",
     COMPLETE_NONE, NULL, "yaml", "the format of the status: yaml or json",
     NULL},
    {OPT_FAIL_ON, "fail-on", 0, "LEVEL", false, ALL, "error|warning|never",
     COMPLETE_NONE, NULL, "error; import-ingress: warning",
     "exit 1 when there is an error, a warning or error, or never",
     "The level changes the exit status only, never the output."},
    {OPT_COLOR, "color", 0, "WHEN", false, ALL, "auto|always|never",
     COMPLETE_NONE, NULL, "auto",
     "colour text diagnostics: auto (when standard error is a terminal, "
     "NO_COLOR is unset and TERM is not dumb), always or never",
     NULL},
    {OPT_EXCLUDE, "exclude", 0, "GLOB", true, ALL, NULL, COMPLETE_NONE, "exclude", NULL,
     "leave out the files and directories GLOB matches: in a directory given "
     "as PATH, their path below it; a file given as PATH, its path as given",
     "As in .gitignore: * and ? do not match /, a ** segment matches any "
     "number of directories, a GLOB without / matches a name at any depth "
     "(values.yaml, *.tmpl.yaml), a GLOB ending in / matches directories "
     "only.  An excluded directory is not entered.  Quote GLOB for the shell: "
     "--exclude 'charts/**'.",
     true},
    {OPT_CONTEXT, "context", 0, "PATH", true, CHECK, NULL, COMPLETE_FILE, NULL, NULL,
     "read PATH too, to resolve references (Gateways, Services, Secrets, "
     "ReferenceGrants), but report only the problems in the files of the "
     "PATH arguments; a file read both ways counts as an argument",
     "This is what a pre-commit hook that passes only the changed files "
     "needs: gwc check --context . CHANGED-FILE...  A diagnostic whose second "
     "location is in an argument's file is reported too.",
     false},
    {OPT_DISABLE, "disable", 0, "CODES", true, ALL, NULL, COMPLETE_NONE, "disable",
     NULL,
     "silence these codes (GW0605,GW0401, or the option repeated); errors that "
     "make the output invalid cannot be silenced",
     "gwc explain CODE says whether a code can be silenced.  The annotation "
     "gwc.dev/ignore: \"GW0605,GW0401\" on an object silences codes for the "
     "diagnostics inside that object only.  The summary line counts what was "
     "silenced.",
     true},
    {OPT_QUIET, "quiet", 'q', NULL, false, ALL, NULL, COMPLETE_NONE, NULL, NULL,
     "show only what fails the run: errors (warnings too with "
     "--fail-on=warning); the summary line counts the rest",
     NULL},
    {OPT_ALLOW_UNKNOWN_FIELDS, "allow-unknown-fields", 0, NULL, false, ALL, NULL,
     COMPLETE_NONE, "allowUnknownFields", NULL,
     "unknown fields are warnings instead of errors (by default they are "
     "errors, as with kubectl apply's strict field validation)",
     "An unknown field is reported with the field of that place it most likely "
     "misspells: unknown field 'pathh' in HTTPRouteMatch; did you mean 'path'?"},
    {OPT_STRICT, "strict", 0, NULL, false, ALL, NULL, COMPLETE_NONE, "strict",
     NULL, "deprecated and without effect: unknown fields are errors", NULL},
    {OPT_ALLOW_EMPTY, "allow-empty", 0, NULL, false, ALL, NULL, COMPLETE_NONE, NULL,
     NULL,
     "paths that hold no Kubernetes manifest are not an error (by default they "
     "are: exit 2, so that a wrong path in CI fails)",
     NULL},
    {OPT_CONFIG, "config", 0, "FILE", false, ALL, NULL, COMPLETE_FILE, NULL,
     "./gwc.yaml when it exists", "read settings from FILE",
     "A flag given on the command line wins over the settings file."},
    {OPT_STRICT_REFS, "strict-refs", 0, NULL, false, CONTROLLER, NULL,
     COMPLETE_NONE, "strictRefs", NULL,
     "a Service, Secret, ConfigMap or Namespace that the input refers to but "
     "does not hold is an error, instead of being assumed to exist in the "
     "cluster (a note, GW0605)",
     "compile reads the files of an assumed Secret or ConfigMap where a volume "
     "mounting it puts them (--secrets-dir, --configmaps-dir)."},
    {OPT_GATEWAY, "gateway", 0, "NS/NAME", true, CONTROLLER, NULL, COMPLETE_NONE,
     NULL, "every Gateway",
     "only this Gateway and what attaches to it (one nginx per Gateway, as "
     "NGINX Gateway Fabric and Envoy Gateway deploy)",
     "A NAMESPACE/NAME that is no Gateway of the input is an error (GW0906)."},
    {OPT_GATEWAY_CLASS, "gateway-class", 0, "NAME", true, CONTROLLER, NULL,
     COMPLETE_NONE, "gatewayClasses", "every class of this controller",
     "serve only Gateways of this GatewayClass; the others are left out with "
     "a note",
     NULL},
    {OPT_CONTROLLER_NAME, "controller-name", 0, "NAME", false, CONTROLLER,
     NULL, COMPLETE_NONE, "controllerName", GWC_DEFAULT_CONTROLLER,
     "the controllerName of the GatewayClasses gwc serves, and the name "
     "written in status",
     NULL},
    {OPT_LISTEN_ADDRESS, "listen-address", 0, "ADDR", false, COMPILE | STATUS | ROUTING,
     NULL, COMPLETE_NONE, "listenAddress",
     "each Gateway's spec.addresses of type IPAddress; a Gateway without one "
     "listens on all addresses",
     "the IPv4 or IPv6 address (without brackets) every Gateway listens on",
     NULL},
    {OPT_PORT_MAP, "port-map", 0, "FROM=TO", true, COMPILE | STATUS | ROUTING, NULL,
     COMPLETE_NONE, "portMap", NULL,
     "a listener on port FROM listens on port TO instead (ports below 1024 "
     "need root: map 80=8080)",
     "In gwc.yaml: a list of mappings, portMap: [{from: 80, to: 8080}]."},
    {OPT_MODULES_DIR, "modules-dir", 0, "DIR", false, COMPILE | STATUS, NULL,
     COMPLETE_DIR, "modulesDir", GWC_DEFAULT_MODULES_DIR,
     "where nginx's ngx_stream_module.so is, for configurations with L4 "
     "routes",
     NULL},
    {OPT_SOCKET_DIR, "socket-dir", 0, "DIR", false, COMPILE | STATUS, NULL,
     COMPLETE_DIR, "socketDir", "DIR/sockets, made absolute, when that is short enough",
     "where nginx's unix sockets between stream{} and http{} go (TLS "
     "passthrough sharing a port with HTTPS, TLS to stream backends): an "
     "absolute path of at most 64 bytes that exists when nginx starts",
     NULL},
    {OPT_SECRETS_DIR, "secrets-dir", 0, "DIR", false, COMPILE | STATUS, NULL,
     COMPLETE_DIR, "secretsDir", GWC_DEFAULT_SECRETS_DIR,
     "where Secrets that are not in the input are mounted: nginx reads "
     "DIR/NAMESPACE/NAME/tls.crt and tls.key; an absolute path",
     NULL},
    {OPT_CONFIGMAPS_DIR, "configmaps-dir", 0, "DIR", false, COMPILE | STATUS, NULL,
     COMPLETE_DIR, "configmapsDir", GWC_DEFAULT_CONFIGMAPS_DIR,
     "where ConfigMaps that are not in the input are mounted: nginx reads "
     "DIR/NAMESPACE/NAME/ca.crt; an absolute path",
     NULL},
    {OPT_RESOLVER, "resolver", 0, "ADDR", false, COMPILE | STATUS, NULL, COMPLETE_NONE,
     "resolver", PLAN_DEFAULT_RESOLVER ", the usual cluster DNS",
     "the DNS server nginx asks for backends resolved at run time: "
     "ExternalName Services, and Services with neither a clusterIP nor "
     "EndpointSlices in the input",
     NULL},
    {OPT_IMPORT_GATEWAY_CLASS, "gateway-class", 0, "NAME", false, IMPORT,
     NULL, COMPLETE_NONE, NULL, "nginx",
     "the gatewayClassName of the generated Gateways", NULL},
    {OPT_GATEWAY_NAME, "gateway-name", 0, "NAME", false, IMPORT, NULL,
     COMPLETE_NONE, NULL, "the ingress class",
     "the name of the generated Gateways", NULL},
    {OPT_IMPORT_GATEWAY, "gateway", 0, "NS/NAME", false, IMPORT, NULL,
     COMPLETE_NONE, NULL, "one Gateway per ingress class",
     "attach every generated route to this one Gateway.  When the inputs hold "
     "it, the output carries it amended: the listeners it lacks are added "
     "(one it has for the same port and hostname is reused; a different "
     "protocol or certificate there is an error, GW0821), and its "
     "allowedRoutes admit the namespaces of the routes by name; otherwise "
     "it is created",
     "Certificates in the routes' namespaces get ReferenceGrants from the "
     "Gateway's namespace.  Past 64 listeners, ListenerSets attached to the "
     "Gateway carry the rest (GW0820).  Not with --gateway-name or "
     "--gateway-namespace."},
    {OPT_GATEWAY_NAMESPACE, "gateway-namespace", 0, "NS", false, IMPORT, NULL,
     COMPLETE_NONE, NULL,
     "where the source controller usually runs: ingress-nginx, nginx-ingress "
     "(nginx-inc), traefik, projectcontour (contour)",
     "the namespace of the generated Gateways, one per ingress class; routes "
     "stay in their Ingress's namespace and are admitted by name",
     NULL},
    {OPT_CONTROLLER_CONFIG, "controller-config", 0, "NS/NAME", false, IMPORT, NULL,
     COMPLETE_NONE, NULL,
     "ingress-nginx/ingress-nginx-controller (the Helm chart's) when the "
     "inputs hold it",
     "the ingress-nginx controller's ConfigMap, whose settings apply to every "
     "Ingress: each key that is an annotation's default becomes that "
     "annotation for every Ingress that does not set it; every other key is "
     "reported",
     "Only with --provider ingress-nginx (or inputs that name it).  A name the "
     "inputs do not hold is an error (GW0837)."},
    {OPT_INGRESS_CLASS, "ingress-class", 0, "NAME", true, IMPORT, NULL,
     COMPLETE_NONE, NULL,
     "the classes the provider serves; for ingress-nginx, nginx and every "
     "IngressClass whose controller is k8s.io/ingress-nginx",
     "convert only Ingresses of this class",
     NULL},
    {OPT_ENTRY_POINT, "entry-point", 0, "NAME=PORT[/udp]", true, IMPORT, NULL,
     COMPLETE_NONE, NULL, "web=80 and websecure=443",
     "the port of a Traefik entry point that IngressRouteTCP and "
     "IngressRouteUDP name (its address in Traefik's static configuration, "
     "which the import does not read); /udp for a UDP entry point",
     NULL},
    {OPT_NAMESPACE, "namespace", 0, "NS", false, IMPORT, NULL, COMPLETE_NONE,
     NULL, "default", "the namespace of Ingresses that have none", NULL},
    {OPT_EXPLAIN_FORMAT, "format", 0, "FMT", false, EXPLAIN_REQUEST, "text|json",
     COMPLETE_NONE, NULL, "text", "the format of the explanation: text or json",
     NULL},
    {OPT_TEST_FORMAT, "format", 0, "FMT", false, TEST, "text|json|junit", COMPLETE_NONE,
     NULL, "text",
     "the format of the results: text (a line per case), json, or junit (JUnit "
     "XML: a testsuite per RoutingTest, a testcase per case)",
     NULL},
    {OPT_GRAPH_FORMAT, "format", 0, "FMT", false, GRAPH, "dot|mermaid|json|svg",
     COMPLETE_NONE, NULL, "dot",
     "the format of the graph: Graphviz dot, mermaid (for Markdown), json, or "
     "svg (runs Graphviz's dot, which must be on PATH)",
     NULL},
    {OPT_METHOD, "method", 'X', "METHOD", false, EXPLAIN_REQUEST, NULL,
     COMPLETE_NONE, NULL, "GET", "the request's method", NULL},
    {OPT_HEADER, "header", 'H', "HEADER", true, EXPLAIN_REQUEST, NULL,
     COMPLETE_NONE, NULL, NULL,
     "a request header, 'Name: value'; Host overrides the URL's host for server selection",
     NULL},
    {OPT_SNI, "sni", 0, "NAME", false, EXPLAIN_REQUEST, NULL, COMPLETE_NONE, NULL,
     "the URL's host", "the TLS server name sent (--sni= sends none)", NULL},
    {OPT_VERIFY_NGINX, "verify-nginx", 0, NULL, false, TEST, NULL, COMPLETE_NONE,
     NULL, NULL,
     "also check every plain-HTTP case against the real nginx serving the "
     "compiled configuration on 127.0.0.1",
     "HTTPS cases (gwc links no TLS library), gRPC, h2c, WebSocket and "
     "backend-TLS cases are listed as not verified with nginx."},
    {OPT_NGINX, "nginx", 0, "PATH", false, TEST, NULL, COMPLETE_FILE, NULL,
     "$GWC_NGINX, else /usr/sbin/nginx", "the nginx binary --verify-nginx runs",
     NULL},
    {OPT_PROVIDER, "provider", 0, "NAME", false, IMPORT, NULL, COMPLETE_NONE,
     NULL, "the one the inputs name",
     "the controller that served the inputs: ingress-nginx, nginx-inc (F5 "
     "NGINX Ingress Controller), traefik (Traefik Proxy) or contour",
     "Without it, gwc picks the controller the inputs name (an annotation "
     "prefix, the controller of an IngressClass, a class name only one "
     "controller serves by default, a custom resource's API group) and says "
     "so in a note.  Inputs that name several controllers, or only the class "
     "nginx, are an error that asks for --provider; nothing is written."},
    {OPT_ALLOW_INSECURE_IMPORT, "allow-insecure-import", 0, NULL, false, IMPORT,
     NULL, COMPLETE_NONE, NULL, NULL,
     "serve paths whose access control is not converted exactly, without it",
     "ingress-nginx only.  By default such paths answer 403 (an AccessPolicy "
     "that denies every client) and the annotation is an error (GW0831).  "
     "With this option the rest of the Ingress is converted and served "
     "without that access control, and every affected Ingress gets a warning "
     "(GW0832); the annotations stay errors.  There is no gwc.yaml key for "
     "it."},
    {OPT_INCLUDE_INPUTS, "include-inputs", 0, NULL, false, IMPORT, NULL,
     COMPLETE_NONE, NULL, NULL,
     "carry the other objects of the inputs (Services, Secrets, ConfigMaps, "
     "Gateway API objects, ...) into the output unchanged, so that gwc check "
     "of the output alone sees the backends",
     "Ingresses, IngressClasses and the custom resources of the Ingress "
     "controllers import-ingress reads are not carried: the output replaces "
     "them.  Each object keeps its fields and values; comments and the "
     "spelling of the YAML (quotes, indentation) are not kept.  With -o DIR "
     "they go into their namespace's files (DIR/NAMESPACE/services.yaml)."},
    {OPT_SUMMARY, "summary", 0, "FILE", false, IMPORT, NULL, COMPLETE_FILE, NULL,
     NULL,
     "write the import summary as JSON to FILE (atomically): per source "
     "object what it became and how exactly, and the next steps "
     "(docs/import-summary.md)",
     "The same summary is shown as text on standard error after the "
     "diagnostics, unless --quiet or a machine --format is written there."},
    {OPT_HELP, "help", 'h', NULL, false, ALL | CLI_FOR(CMD_EXPLAIN), NULL, COMPLETE_NONE, NULL, NULL,
     "show the help of the command", NULL},
};
const size_t cli_n_options = ARRAY_SIZE(cli_options);

const struct cli_command *cli_command_find(const char *name)
{
    size_t i;

    for (i = 0; i < cli_n_commands; i++) {
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    }
    return NULL;
}

static bool name_is(const char *want, const char *name, size_t len)
{
    return strlen(want) == len && memcmp(want, name, len) == 0;
}

const struct cli_option *cli_option_find(const char *name, size_t len,
                                         enum command cmd, bool *exists)
{
    size_t i;

    *exists = false;
    for (i = 0; i < cli_n_options; i++) {
        const struct cli_option *opt = &cli_options[i];
        if (!name_is(opt->name, name, len))
            continue;
        *exists = true;
        if (opt->commands & CLI_FOR(cmd))
            return opt;
    }
    return NULL;
}

const struct cli_option *cli_option_find_short(char c, enum command cmd,
                                               bool *exists)
{
    size_t i;

    *exists = false;
    for (i = 0; i < cli_n_options; i++) {
        if (cli_options[i].short_name != c || c == 0)
            continue;
        *exists = true;
        if (cli_options[i].commands & CLI_FOR(cmd))
            return &cli_options[i];
    }
    return NULL;
}

const struct cli_option *cli_option_by_setting(const char *key)
{
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        if (cli_options[i].setting && strcmp(cli_options[i].setting, key) == 0)
            return &cli_options[i];
    }
    return NULL;
}

int cli_choice(const struct cli_option *opt, const char *value)
{
    const char *p = opt->choices;
    size_t n = strlen(value);
    int i = 0;

    while (p && *p) {
        size_t len = strcspn(p, "|");
        if (len == n && memcmp(p, value, n) == 0)
            return i;
        p += len + (p[len] == '|');
        i++;
    }
    return -1;
}
