/*
 * custom-http-errors and default-backend: reported precisely, not
 * converted.
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
 * gwc's ClientPolicy errorResponses with a backendRef has that contract
 * (X-Route-Name for X-Ingress-Name, the original status kept), but gwc
 * does not program it yet (GW0706: the rules would answer 500), so the
 * import writes none.  default-backend's other use, a fallback for a
 * Service without endpoints, has no Gateway API equivalent.
 */
#include "nx.h"

#include <string.h>

/* Whether v is what ingress-nginx's validation takes and nginx reads:
 * codes from 400 to 599, separated by commas (annotations.c refused
 * other characters). */
static bool codes_ok(struct imp *im, const char *v)
{
    size_t i, n;
    const char **parts = imp_value_split_list(im->a, v, &n);
    int64_t c;

    for (i = 0; i < n; i++) {
        if (!imp_value_parse_decimal(parts[i], 400, 599, &c))
            return false;
    }
    return n > 0;
}

void nx_errors_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;

    if (c->default_backend)
        nx_report_annotation(im, ing, "default-backend", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx serves this Service "
                             "when the Ingress's Service has no endpoints, where "
                             "a Gateway answers 500 or 503%s",
                             c->custom_http_errors
                                 ? ", and has it render custom-http-errors"
                                 : "");
    if (!c->custom_http_errors)
        return;
    if (!codes_ok(im, c->custom_http_errors))
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_BAD_VALUE,
                             "'%s' is not a comma-separated list of codes from "
                             "400 to 599; ingress-nginx's configuration fails "
                             "with it; not converted",
                             imp_report_value(im, c->custom_http_errors));
    else if (c->default_backend)
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx replaces these "
                             "responses, the backend's and its own, with what "
                             "Service %s/%s (default-backend, its first port) "
                             "answers to / with X-Code, X-Original-URI and the "
                             "other X- headers of its default-backend contract; "
                             "gwc's ClientPolicy errorResponses.backendRef has "
                             "that contract, but this gwc does not program it "
                             "yet (GW0706), so the original responses reach the "
                             "client",
                             ing->namespace, c->default_backend);
    else
        nx_report_annotation(im, ing, "custom-http-errors", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx replaces these "
                             "responses, the backend's and its own, with what "
                             "the controller's default backend "
                             "(--default-backend-service, not in the input) "
                             "answers; the original responses reach the client "
                             "instead (ClientPolicy errorResponses with a static "
                             "body can replace them)");
}
