/*
 * custom-http-errors (with default-backend) as ClientPolicy errorResponses
 * with a backendRef (docs/policies.md, "Importing ingress-nginx
 * annotations").
 *
 * ingress-nginx intercepts the listed codes, from the backend and from
 * nginx itself (proxy_intercept_errors, error_page CODE = @custom_...),
 * and has a Service render the page: default-backend's, on its first
 * port, else the controller's own (--default-backend-service).  The
 * request goes there with path / and the headers X-Code, X-Format,
 * X-Original-URI, X-Namespace, X-Ingress-Name, X-Service-Name,
 * X-Service-Port and X-Request-ID (nginx.tmpl, CUSTOM_ERRORS), and the
 * client gets the status that Service answers.
 *
 * errorResponses.backendRef has that contract but for X-Route-Name (the
 * HTTPRoute's name) and the original status kept: reported as
 * approximations.  Without default-backend the Service is the
 * controller's, which the inputs do not name: not converted.
 * default-backend's other use, a fallback for a Service without
 * endpoints, has no Gateway API equivalent.
 */
#include "nx.h"

#include "base/arena.h"

#include <string.h>

/* The codes of v, distinct, in their order; NULL when v is not what
 * ingress-nginx's validation takes and nginx reads: codes from 400 to
 * 599, separated by commas (annotations.c refused other characters). */
static int64_t *codes_of(struct imp *im, const char *v, size_t *n_out)
{
    size_t i, n;
    const char **parts = imp_value_split_list(im->a, v, &n);
    int64_t *codes = ARENA_NEW_ARRAY(im->a, int64_t, n ? n : 1);
    bool seen[200] = {false};
    int64_t c;

    *n_out = 0;
    for (i = 0; i < n; i++) {
        if (!imp_value_parse_decimal(parts[i], 400, 599, &c))
            return NULL;
        if (seen[c - 400])
            continue;
        seen[c - 400] = true;
        codes[(*n_out)++] = c;
    }
    return n ? codes : NULL;
}

/* The port ingress-nginx sends to: the Service's first, when the inputs
 * hold the Service; 0 (reported) when not. */
static int64_t first_port(struct imp *im, struct ing *ing, const char *name)
{
    const struct service *svc =
        (const struct service *)imp_find_object(im, KIND_SERVICE, ing->namespace, name);

    if (!svc) {
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx sends these responses' "
                             "requests to the first port of Service %s/%s "
                             "(default-backend), which is not in the input; give "
                             "it to import-ingress",
                             ing->namespace, name);
        return 0;
    }
    if (svc->n_ports == 0) {
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: Service %s/%s (default-backend) has no "
                             "port; ingress-nginx ignores it and has its own default "
                             "backend render the pages",
                             ing->namespace, name);
        return 0;
    }
    return svc->ports[0].port;
}

/* Codes gwc keeps for itself (418 dispatches, 444 and 499 send nothing):
 * dropped from codes, reported. */
static void drop_reserved(struct imp *im, struct ing *ing, int64_t *codes, size_t *n)
{
    size_t i, k = 0;

    for (i = 0; i < *n; i++) {
        if (codes[i] == 418 || codes[i] == 444 || codes[i] == 499)
            nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_APPROXIMATED,
                                 "%lld is not converted (gwc keeps 418 for its "
                                 "dispatch; 444 and 499 send no response): it reaches "
                                 "the client as the backend answers it",
                                 (long long)codes[i]);
        else
            codes[k++] = codes[i];
    }
    *n = k;
}

static void convert(struct imp *im, struct ing *ing, int64_t *codes, size_t n)
{
    const char *name = ing->cfg.default_backend;
    int64_t port = first_port(im, ing, name);
    struct o_gwc_policy *p;
    struct o_ref *ref;

    if (!port)
        return;
    drop_reserved(im, ing, codes, &n);
    if (n == 0)
        return;
    ref = ARENA_NEW(im->a, struct o_ref);
    ref->name = name;
    ref->namespace = ing->namespace;
    ref->port = port;
    p = nx_pol_get(im, ing, "ClientPolicy");
    p->error_service = ref;
    p->error_codes = codes;
    p->n_error_codes = n;
    nx_pol_converted(im, ing, "custom-http-errors", "ClientPolicy",
                     "spec.errorResponses, rendered by Service %s/%s port %lld "
                     "(default-backend's first port)",
                     ing->namespace, name, (long long)port);
    nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_APPROXIMATED,
                         "the Service gets X-Route-Name (the HTTPRoute's name) "
                         "instead of X-Ingress-Name, path / without the query, and "
                         "no request body; the client gets the original status "
                         "where ingress-nginx passes on the Service's (the same "
                         "with error page servers that answer X-Code); while the "
                         "Service has no ready endpoint, nginx's own page where "
                         "ingress-nginx uses its default backend");
}

void nx_errors_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    int64_t *codes;
    size_t n;

    if (c->default_backend)
        nx_report_annotation(im, ing, "default-backend", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx serves this Service "
                             "when the Ingress's Service has no endpoints, where "
                             "a Gateway answers 500 or 503%s",
                             c->custom_http_errors
                                 ? " (as the renderer of custom-http-errors it "
                                   "is converted with that annotation)"
                                 : "");
    if (!c->custom_http_errors)
        return;
    codes = codes_of(im, c->custom_http_errors, &n);
    if (!codes)
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_BAD_VALUE,
                             "'%s' is not a comma-separated list of codes from "
                             "400 to 599; ingress-nginx's configuration fails "
                             "with it; not converted",
                             imp_report_value(im, c->custom_http_errors));
    else if (c->default_backend)
        convert(im, ing, codes, n);
    else
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx replaces these "
                             "responses, the backend's and its own, with what "
                             "the controller's default backend "
                             "(--default-backend-service, not in the input) "
                             "answers; the original responses reach the client "
                             "instead.  Name that Service in default-backend "
                             "(in the Ingress's namespace) to convert them to a "
                             "ClientPolicy errorResponses backendRef, or write "
                             "errorResponses with a static body");
}
