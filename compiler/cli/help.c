#include "cli_internal.h"

#include <string.h>

static const char usage[] =
    "usage: gwc <command> [options] PATH...\n"
    "\n"
    "gwc compiles Kubernetes Gateway API manifests into nginx configuration,\n"
    "offline, and reports what a conformant controller would report.\n"
    "\n"
    "commands:\n"
    "  check PATH...            validate manifests; write nothing\n"
    "  compile -o DIR PATH...   validate, then write nginx config into DIR\n"
    "  status PATH...           print the status a controller would write\n"
    "  import-ingress PATH...   convert ingress-nginx Ingresses to Gateway API\n"
    "  help [COMMAND]           show help for a command\n"
    "  --version                print the version\n"
    "\n"
    "PATH is a file, a directory (read recursively: *.yaml, *.yml, *.json,\n"
    "in name order) or - for standard input.\n"
    "\n"
    "exit status:\n"
    "  0  no errors\n"
    "  1  errors found (also warnings with --fail-on=warning)\n"
    "  2  usage error, or an input path that cannot be read\n"
    "  3  internal error\n"
    "\n"
    "input limits (hostile input is refused with a positioned error):\n"
    "  file size 32 MiB, nesting depth 64, 1,000,000 YAML nodes per document;\n"
    "  YAML aliases, duplicate keys, invalid UTF-8, NUL bytes and control\n"
    "  characters are errors.\n"
    "\n"
    "Run 'gwc help COMMAND' for the options of a command.\n";

static const char common_options[] =
    "  --format FMT          diagnostics as text (default), json, sarif or github\n"
    "  --fail-on LEVEL       exit 1 on error (default), warning, or never\n"
    "  --color WHEN          auto (default: when stderr is a terminal and\n"
    "                        NO_COLOR is unset), always or never\n"
    "  --strict              unknown fields are errors, not warnings\n"
    "  --config FILE         settings file (default: ./gwc.yaml when present)\n";

static const char controller_options[] =
    "  --strict-refs         a backend Service missing from the input is\n"
    "                        BackendNotFound (default: assumed to exist)\n"
    "  --gateway-class NAME  only Gateways of this class (repeatable)\n"
    "  --controller-name N   controller name written in status\n"
    "                        (default " GWC_DEFAULT_CONTROLLER ")\n";

struct topic {
    const char *name;
    const char *synopsis;
    const char *text;
    bool common, controller;
    const char *extra;
};

static const struct topic topics[] = {
    {"check", "gwc check [options] PATH...",
     "Loads and validates the manifests as the API server and a conformant\n"
     "controller would, and prints every problem as\n"
     "  file:line:col: severity: field.path: message [GWnnnn]\n"
     "Nothing is written.\n",
     true, true, NULL},
    {"compile", "gwc compile -o DIR [options] PATH...",
     "Validates the manifests, then writes DIR/nginx.conf (complete, keeping\n"
     "its pid, logs and temporary files in DIR: run it as any user with\n"
     "nginx -p DIR/ -c nginx.conf), DIR/http.conf (an http{} fragment),\n"
     "DIR/stream.conf (a stream{} fragment, when L4 routes exist) and\n"
     "DIR/certs/.  When the manifests are invalid (what the API server would\n"
     "refuse) nothing is written.  Controller findings (a route not accepted,\n"
     "a missing backend) do not stop the output: gwc writes what a conformant\n"
     "controller would program, and exits 1.\n"
     "\n"
     "gwc never removes or overwrites a file it did not write.  It writes into\n"
     "DIR only when DIR does not exist, is empty, or was written by gwc before\n"
     "(DIR/.gwc-output lists the files gwc wrote); then it replaces exactly\n"
     "those files, each atomically and only after all are written, and leaves\n"
     "every other file (nginx's logs and pid file, your own files) alone.\n"
     "Anything else is refused with exit status 2.\n",
     true, true,
     "  -o, --output DIR      output directory (required)\n"
     "  --force               write into DIR although gwc did not write it\n"
     "                        before, overwriting files with the names of\n"
     "                        gwc's; still no other file is touched\n"
     "  --listen-address A    address nginx listens on (default: all)\n"
     "  --port-map FROM=TO    a listener on port FROM listens on TO (repeatable;\n"
     "                        ports below 1024 need root: map 80=8080)\n"
     "  --modules-dir DIR     where ngx_stream_module.so lives\n"
     "                        (default " GWC_DEFAULT_MODULES_DIR ")\n"
     "  --socket-dir DIR      unix sockets between stream{} and http{} (TLS\n"
     "                        passthrough sharing a port with HTTPS, TLS to\n"
     "                        stream backends); absolute, at most 64 bytes\n"
     "                        (default: DIR/sockets, made absolute, when that\n"
     "                        is short enough)\n"
     "  --resolver ADDR       DNS server for ExternalName backends\n"
     "                        (default " GWC_DEFAULT_RESOLVER ", cluster DNS)\n"},
    {"status", "gwc status [--format yaml|json] [options] PATH...",
     "Prints, for every GatewayClass, Gateway, ListenerSet, route and\n"
     "BackendTLSPolicy, the status a conformant controller would compute.\n"
     "Diagnostics go to standard error as text.\n",
     false, true,
     "  --format FMT          yaml (default) or json\n"
     "  --fail-on LEVEL       exit 1 on error (default), warning, or never\n"
     "  --strict              unknown fields are errors, not warnings\n"
     "  --config FILE         settings file\n"},
    {"import-ingress", "gwc import-ingress [options] PATH...",
     "Converts Ingress objects (with IngressClass, Service, Secret and ConfigMap\n"
     "objects for context) of another controller into Gateway API YAML on\n"
     "standard output, and reports on standard error everything that was\n"
     "converted approximately or not at all.  Exit 0 when everything converted\n"
     "exactly, 1 when something was approximated or could not be carried over\n"
     "(--fail-on=error: only the latter).\n",
     true, false,
     "  -o, --output FILE     write the YAML to FILE (atomically)\n"
     "  --gateway-class NAME  gatewayClassName of the generated Gateways\n"
     "                        (default nginx)\n"
     "  --gateway-name NAME   name of the generated Gateways (default: the\n"
     "                        ingress class)\n"
     "  --ingress-class NAME  only Ingresses of this class (repeatable)\n"
     "  --namespace NS        namespace for Ingresses that have none\n"
     "  --provider NAME       the controller that served the inputs:\n"
     "                        ingress-nginx, nginx-inc or traefik (default:\n"
     "                        the one the inputs name)\n"},
    {"help", "gwc help [COMMAND]", "Shows help for gwc or for one command.\n",
     false, false, NULL},
};

void cli_usage(FILE *out)
{
    fputs(usage, out);
}

bool cli_help(FILE *out, const char *topic)
{
    size_t i;

    for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
        const struct topic *t = &topics[i];
        if (strcmp(t->name, topic) != 0)
            continue;
        fprintf(out, "usage: %s\n\n%s", t->synopsis, t->text);
        if (t->extra || t->common || t->controller)
            fputs("\noptions:\n", out);
        if (t->extra)
            fputs(t->extra, out);
        if (t->common)
            fputs(common_options, out);
        if (t->controller)
            fputs(controller_options, out);
        return true;
    }
    return false;
}
