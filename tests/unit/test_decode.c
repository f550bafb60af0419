/* Unit tests: decode tables, strict scalars, defaults, field paths. */
#include "unit.h"

#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"
#include "model/model.h"

#include <stdio.h>
#include <string.h>

struct fixture {
    struct compilation c;
    struct model m;
    bool ok;
};

static void build(struct fixture *f, const char *text, bool allow_unknown_fields)
{
    struct ydoc_list docs = {0};
    struct model_options mo = {allow_unknown_fields};

    compilation_init(&f->c);
    f->ok = load_buffer(&f->c, &load_default_limits, "t.yaml", text, strlen(text),
                        &docs);
    f->ok = model_build(&f->c, &docs, &mo, &f->m) && f->ok;
}

static void done(struct fixture *f)
{
    compilation_release(&f->c);
}

static const struct diag *find_diag(const struct fixture *f, enum diag_code code)
{
    size_t i;

    for (i = 0; i < f->c.diags.n; i++) {
        if (f->c.diags.v[i]->code == code)
            return f->c.diags.v[i];
    }
    return NULL;
}

static const char route_yaml[] =
    "apiVersion: gateway.networking.k8s.io/v1\n"
    "kind: HTTPRoute\n"
    "metadata:\n"
    "  name: web\n"
    "  labels: {app: web}\n"
    "  creationTimestamp: \"2024-01-02T03:04:05Z\"\n"
    "spec:\n"
    "  parentRefs:\n"
    "  - name: gw\n"
    "  hostnames: [a.example.com]\n"
    "  rules:\n"
    "  - matches:\n"
    "    - headers: [{name: x, value: v}]\n"
    "    filters:\n"
    "    - type: RequestRedirect\n"
    "      requestRedirect: {scheme: https}\n"
    "    backendRefs:\n"
    "    - name: svc\n"
    "      port: 8080\n";

START_TEST(route_decodes_with_defaults)
{
    struct fixture f;
    struct route *r;

    build(&f, route_yaml, false);
    ck_assert(f.ok);
    ck_assert_uint_eq(f.m.objects[KIND_HTTP_ROUTE].n, 1);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_str_eq(r->obj.nsname, "default/web");
    ck_assert_str_eq(r->obj.meta.namespace, "default");
    ck_assert_str_eq(model_strmap_get(&r->obj.meta.labels, "app"), "web");
    ck_assert_int_eq(r->obj.created, 1704164645);
    ck_assert_str_eq(r->parent_refs[0].group, GATEWAY_GROUP);
    ck_assert_str_eq(r->parent_refs[0].kind, "Gateway");
    ck_assert(r->parent_refs[0].port == INT_UNSET);
    ck_assert_int_eq(r->rules[0].matches[0].path.type, PATH_MATCH_PREFIX);
    ck_assert_str_eq(r->rules[0].matches[0].path.value, "/");
    ck_assert_int_eq(r->rules[0].matches[0].headers[0].type, MATCH_EXACT);
    ck_assert_int_eq(r->rules[0].filters[0].request_redirect->status_code, 302);
    ck_assert(r->rules[0].filters[0].request_redirect->port == INT_UNSET);
    ck_assert_str_eq(r->rules[0].backend_refs[0].kind, "Service");
    ck_assert_int_eq(r->rules[0].backend_refs[0].weight, 1);
    ck_assert_int_eq(r->rules[0].backend_refs[0].port, 8080);
    done(&f);
}
END_TEST

START_TEST(route_without_rules_gets_the_default_rule)
{
    struct fixture f;
    struct route *r;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: r, namespace: ns}\nspec: {}\n", false);
    ck_assert(f.ok);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_uint_eq(r->n_rules, 1);
    ck_assert_uint_eq(r->rules[0].n_matches, 1);
    ck_assert_str_eq(r->rules[0].matches[0].path.value, "/");
    done(&f);
}
END_TEST

START_TEST(strict_scalars_are_type_errors)
{
    static const struct {
        const char *value;
        enum diag_code code;
    } cases[] = {
        {"\"80\"", DIAG_TYPE_MISMATCH},
        {"80abc", DIAG_TYPE_MISMATCH},
        {"1.5", DIAG_TYPE_MISMATCH},
        {"0x50", DIAG_AMBIGUOUS_NUMBER},
        {"99999999999", DIAG_INT_RANGE},
        {"[80]", DIAG_TYPE_MISMATCH},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fixture f;
        char text[512];
        const struct diag *d;

        snprintf(text, sizeof(text),
                 "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                 "spec:\n  ports:\n  - port: %s\n", cases[i].value);
        build(&f, text, false);
        ck_assert(!f.ok);
        d = find_diag(&f, cases[i].code);
        ck_assert_msg(d != NULL, "no expected diagnostic for %s", cases[i].value);
        ck_assert_str_eq(d->path, "spec.ports[0].port");
        ck_assert_uint_eq(d->loc.line, 6);
        ck_assert_uint_eq(d->loc.col, 11);
        done(&f);
    }
}
END_TEST

/* An enum field decodes by name; absent and null take the CRD's default;
 * a name the table lacks is kept as _OTHER for schema/ to refuse with the
 * value as written (decoding itself accepts it); a non-string is a type
 * error like any string field's. */
START_TEST(enum_fields_decode_by_name)
{
    static const struct {
        const char *path, *header;
        enum path_match_type want_path;
        enum match_type want_header;
        bool ok;
    } cases[] = {
        {"{type: Exact, value: /a}", "{type: RegularExpression, name: h, value: v}",
         PATH_MATCH_EXACT, MATCH_REGEX, true},
        {"{value: /a}", "{name: h, value: v}", PATH_MATCH_PREFIX, MATCH_EXACT,
         true},
        {"{type: null, value: /a}", "{type: null, name: h, value: v}",
         PATH_MATCH_PREFIX, MATCH_EXACT, true},
        {"{type: exact, value: /a}", "{type: Prefix, name: h, value: v}",
         PATH_MATCH_OTHER, MATCH_TYPE_OTHER, true},
        {"{type: 7, value: /a}", "{type: [Exact], name: h, value: v}",
         PATH_MATCH_PREFIX, MATCH_EXACT, false},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fixture f;
        char text[512];
        const struct http_match *m;

        snprintf(text, sizeof(text),
                 "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                 "metadata: {name: r}\nspec:\n  rules:\n  - matches:\n"
                 "    - path: %s\n      headers:\n      - %s\n",
                 cases[i].path, cases[i].header);
        build(&f, text, false);
        ck_assert_msg(f.ok == cases[i].ok, "case %zu: ok %d", i, f.ok);
        if (!cases[i].ok) {
            ck_assert_ptr_nonnull(find_diag(&f, DIAG_TYPE_MISMATCH));
            done(&f);
            continue;
        }
        ck_assert_uint_eq(f.c.diags.n, 0);
        m = &((struct route *)f.m.objects[KIND_HTTP_ROUTE].v[0])
                 ->rules[0]
                 .matches[0];
        ck_assert_int_eq(m->path.type, cases[i].want_path);
        ck_assert_int_eq(m->headers[0].type, cases[i].want_header);
        done(&f);
    }
}
END_TEST

START_TEST(booleans_must_be_booleans)
{
    struct fixture f;
    const struct diag *d;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: r}\nspec:\n  rules:\n  - filters:\n"
              "    - type: CORS\n      cors: {allowCredentials: banana}\n", false);
    d = find_diag(&f, DIAG_TYPE_MISMATCH);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->path, "spec.rules[0].filters[0].cors.allowCredentials");
    done(&f);
}
END_TEST

START_TEST(unknown_fields_fail_unless_allowed)
{
    struct fixture f;
    const struct diag *d;
    const char *text = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                       "metadata: {name: g}\nspec:\n  gatewayClassName: c\n"
                       "  listeners:\n  - {name: l, port: 80, protocol: HTTP, prot: x}\n";

    build(&f, text, false);
    ck_assert(!f.ok);
    d = find_diag(&f, DIAG_UNKNOWN_FIELD);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, DIAG_ERROR);
    ck_assert_str_eq(d->path, "spec.listeners[0].prot");
    ck_assert_str_eq(d->message, "unknown field 'prot' in Listener; did you mean 'port'?");
    ck_assert_uint_eq(d->loc.col, 41);
    done(&f);
    build(&f, text, true);
    ck_assert(f.ok);
    ck_assert_int_eq(find_diag(&f, DIAG_UNKNOWN_FIELD)->severity, DIAG_WARNING);
    done(&f);
}
END_TEST

START_TEST(core_kinds_ignore_fields_gwc_does_not_model)
{
    struct fixture f;

    build(&f, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
              "spec: {sessionAffinity: None, ports: [{port: 80, nodePort: 30080}]}\n",
          true);
    ck_assert(f.ok);
    ck_assert_uint_eq(f.c.diags.n, 0);
    done(&f);
}
END_TEST

START_TEST(missing_fields_and_type_meta)
{
    struct fixture f;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
              "metadata: {name: g}\nspec:\n  listeners: []\n", false);
    ck_assert(!f.ok);
    ck_assert_str_eq(find_diag(&f, DIAG_MISSING_FIELD)->path, "spec.gatewayClassName");
    done(&f);
    build(&f, "kind: Gateway\nmetadata: {name: g}\n", false);
    ck_assert_ptr_nonnull(find_diag(&f, DIAG_MISSING_TYPE_META));
    done(&f);
    build(&f, "apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n", false);
    ck_assert_ptr_nonnull(find_diag(&f, DIAG_MISSING_TYPE_META));
    done(&f);
}
END_TEST

START_TEST(versions_and_kinds)
{
    struct fixture f;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n"
              "metadata: {name: t}\nspec: {rules: [{backendRefs: [{name: s, port: 1}]}]}\n",
          false);
    ck_assert(f.ok);
    ck_assert_str_eq(model_object_version(f.m.objects[KIND_TCP_ROUTE].v[0]),
                     "v1alpha2");
    done(&f);
    build(&f, "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: HTTPRoute\n"
              "metadata: {name: t}\nspec: {}\n", false);
    ck_assert(!f.ok);
    ck_assert_ptr_nonnull(find_diag(&f, DIAG_UNSUPPORTED_VERSION));
    done(&f);
    build(&f, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n", false);
    ck_assert(f.ok);
    ck_assert_int_eq(find_diag(&f, DIAG_UNKNOWN_KIND)->severity, DIAG_NOTE);
    done(&f);
}
END_TEST

START_TEST(list_items_decode_with_item_paths)
{
    struct fixture f;
    const struct diag *d;

    build(&f, "apiVersion: v1\nkind: List\nitems:\n"
              "- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n"
              "- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n"
              "  spec: {ports: [{port: x}]}\n", false);
    ck_assert_uint_eq(f.m.objects[KIND_NAMESPACE].n, 1);
    d = find_diag(&f, DIAG_TYPE_MISMATCH);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->path, "items[1].spec.ports[0].port");
    done(&f);
}
END_TEST

START_TEST(objects_sort_and_duplicates_are_errors)
{
    struct fixture f;
    char text[512];

    snprintf(text, sizeof(text),
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\n"
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
    build(&f, text, false);
    ck_assert(!f.ok);
    ck_assert_str_eq(((struct object *)f.m.objects[KIND_NAMESPACE].v[0])->nsname, "a");
    ck_assert_ptr_nonnull(find_diag(&f, DIAG_DUPLICATE_OBJECT));
    ck_assert_ptr_nonnull(model_find(&f.m, KIND_NAMESPACE, NULL, "a"));
    ck_assert_ptr_null(model_find(&f.m, KIND_NAMESPACE, NULL, "c"));
    done(&f);
}
END_TEST

START_TEST(null_values_are_unset)
{
    struct fixture f;
    struct route *r;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: r, annotations: {a: null}}\n"
              "spec: {hostnames: ~, parentRefs: [{name: g, port: null}]}\n", false);
    ck_assert(f.ok);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_uint_eq(r->n_hostnames, 0);
    ck_assert_uint_eq(r->obj.meta.annotations.n, 0);
    ck_assert(r->parent_refs[0].port == INT_UNSET);
    done(&f);
}
END_TEST

#define ROUTE_HEAD                                \
    "apiVersion: gateway.networking.k8s.io/v1\n" \
    "kind: HTTPRoute\n"                          \
    "metadata: {name: r, namespace: ns}\n"

/* A present bit is set exactly when the key is written with a value: null
 * is absent, {} is given. */
START_TEST(present_bits_follow_the_keys)
{
    struct fixture f;
    struct route *r;

    build(&f, ROUTE_HEAD
          "spec:\n"
          "  rules:\n"
          "  - timeouts: {}\n"
          "    retry: {}\n"
          "    sessionPersistence: {}\n"
          "  - timeouts: null\n"
          "    retry: ~\n"
          "  - timeouts: {request: 1s}\n"
          "  - filters:\n"
          "    - type: RequestMirror\n"
          "      requestMirror: {backendRef: {name: m, port: 80}, fraction: {numerator: 1}}\n"
          "    - type: RequestMirror\n"
          "      requestMirror: {backendRef: {name: m, port: 80}, percent: 5}\n",
          false);
    ck_assert(f.ok);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_uint_eq(r->n_rules, 4);
    ck_assert_uint_eq(r->rules[0].present, RULE_GIVEN_TIMEOUTS | RULE_GIVEN_RETRY |
                                               RULE_GIVEN_SESSION_PERSISTENCE);
    ck_assert_uint_eq(r->rules[1].present, 0);
    ck_assert_uint_eq(r->rules[2].present, RULE_GIVEN_TIMEOUTS);
    ck_assert_uint_eq(r->rules[3].present, 0);
    ck_assert_uint_eq(r->rules[3].filters[0].request_mirror->present,
                      MIRROR_GIVEN_FRACTION);
    ck_assert_uint_eq(r->rules[3].filters[1].request_mirror->present,
                      MIRROR_GIVEN_PERCENT);
    ck_assert_uint_eq(r->rules[3].filters[1].request_mirror->backend_ref.present,
                      BACKEND_REF_GIVEN_PORT);
    /* The defaulted rule of a route without rules has no bit either. */
    done(&f);
    build(&f, ROUTE_HEAD "spec: {}\n", false);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_uint_eq(r->n_rules, 1);
    ck_assert_uint_eq(r->rules[0].present, 0);
    done(&f);
}
END_TEST

#define POLICY_HEAD(kind)                                                    \
    "apiVersion: gwc.dev/v1alpha1\n"                                         \
    "kind: " kind "\n"                                                       \
    "metadata: {name: p, namespace: ns}\n"                                   \
    "spec:\n"                                                                \
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: "  \
    "gw}]\n"

/* rejectStatusCode: 503 written and left to the CRD's default decode to
 * the same value; only the present bit tells them apart, as the merge of
 * policy levels must (docs/policies.md, requestLimits). */
START_TEST(a_default_written_is_given_a_default_applied_is_not)
{
    struct fixture f;
    const struct client_policy *a, *b;

    build(&f, POLICY_HEAD("ClientPolicy")
          "  requestLimits: {concurrent: 1, rejectStatusCode: 503}\n"
          "  hsts: {}\n"
          "---\n"
          "apiVersion: gwc.dev/v1alpha1\nkind: ClientPolicy\n"
          "metadata: {name: q, namespace: ns}\n"
          "spec:\n"
          "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]\n"
          "  requestLimits: {concurrent: 1}\n"
          "  hsts: null\n"
          "  errorResponses: []\n",
          false);
    ck_assert(f.ok);
    ck_assert_uint_eq(f.m.objects[KIND_CLIENT_POLICY].n, 2);
    a = f.m.objects[KIND_CLIENT_POLICY].v[0];
    b = f.m.objects[KIND_CLIENT_POLICY].v[1];
    ck_assert_int_eq(a->request_limits.reject_status_code, 503);
    ck_assert_int_eq(b->request_limits.reject_status_code, 503);
    ck_assert_uint_eq(a->request_limits.present,
                      LIMITS_GIVEN_REJECT_STATUS_CODE | LIMITS_GIVEN_CONCURRENT);
    ck_assert_uint_eq(b->request_limits.present, LIMITS_GIVEN_CONCURRENT);
    /* hsts: {} is given and defaulted; null is absent and not. */
    ck_assert_uint_eq(a->present, CLIENT_GIVEN_HSTS | CLIENT_GIVEN_REQUEST_LIMITS);
    ck_assert_int_eq(a->hsts.max_age_seconds, 31536000);
    ck_assert_int_eq(b->hsts.max_age_seconds, INT_UNSET);
    /* An empty list is given: it clears the inherited error pages. */
    ck_assert_uint_eq(b->present,
                      CLIENT_GIVEN_ERROR_RESPONSES | CLIENT_GIVEN_REQUEST_LIMITS);
    done(&f);
}
END_TEST

START_TEST(policy_present_bits)
{
    struct fixture f;
    const struct access_policy *a;
    const struct backend_policy *b;

    build(&f, POLICY_HEAD("AccessPolicy")
          "  clientAddresses: {allow: [10.0.0.0/8]}\n"
          "  externalAuth: {url: \"http://auth.example/\", signIn: {path: /login}}\n"
          "---\n" POLICY_HEAD("BackendPolicy")
          "  keepalive: {}\n"
          "  retry: {}\n"
          "  loadBalancing: null\n",
          false);
    ck_assert(f.ok);
    a = f.m.objects[KIND_ACCESS_POLICY].v[0];
    b = f.m.objects[KIND_BACKEND_POLICY].v[0];
    ck_assert_uint_eq(a->present, ACCESS_GIVEN_CLIENT_ADDRESSES | ACCESS_GIVEN_EXTERNAL_AUTH);
    ck_assert_uint_eq(a->external_auth.present, EXTAUTH_GIVEN_SIGN_IN | EXTAUTH_GIVEN_URL);
    ck_assert_uint_eq(a->external_auth.sign_in.present, SIGN_IN_GIVEN_PATH);
    ck_assert_uint_eq(a->client_addresses.present, ADDRESSES_GIVEN_ALLOW);
    ck_assert_str_eq(a->external_auth.sign_in.redirect_parameter, "rd");
    ck_assert_str_eq(a->satisfy, "All");
    ck_assert_uint_eq(b->present, BACKEND_GIVEN_KEEPALIVE | BACKEND_GIVEN_RETRY);
    ck_assert_int_eq(b->retry.tries, 3);
    ck_assert_ptr_null(b->load_balancing.method);
    done(&f);
}
END_TEST

/* Defaults apply inside mappings that are given, and to the objects and
 * lists the CRD defaults to {} or [{}]. */
START_TEST(defaults_where_the_crds_put_them)
{
    struct fixture f;
    const struct gateway *g;
    const struct route *r;

    build(&f, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
              "metadata: {name: gw, namespace: ns}\n"
              "spec:\n"
              "  gatewayClassName: c\n"
              "  listeners:\n"
              "  - {name: a, port: 80, protocol: HTTP}\n"
              "  - {name: b, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: s}]},\n"
              "     allowedRoutes: {namespaces: {from: All}}}\n",
              false);
    ck_assert(f.ok);
    g = f.m.objects[KIND_GATEWAY].v[0];
    ck_assert_int_eq(g->listeners[0].allowed_routes.namespaces.from, FROM_SAME);
    ck_assert_ptr_null(g->listeners[0].allowed_routes.src);
    ck_assert_int_eq(g->listeners[0].tls.mode, TLS_MODE_UNSET);
    ck_assert_int_eq(g->listeners[1].allowed_routes.namespaces.from, FROM_ALL);
    ck_assert_int_eq(g->listeners[1].tls.mode, TLS_TERMINATE);
    ck_assert_str_eq(g->listeners[1].tls.certificate_refs[0].kind, "Secret");
    ck_assert_int_eq(g->allowed_listeners.namespaces.from, FROM_NONE);
    ck_assert_uint_eq(g->tls.frontend.default_.present | g->tls.backend.present, 0);
    done(&f);

    /* rules: [] is kept empty; rules: null is absent and defaulted (the
     * API server prunes the null).  matches: [] means every request. */
    build(&f, ROUTE_HEAD "spec: {rules: []}\n---\n"
              "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: s, namespace: ns}\nspec: {rules: null}\n---\n"
              "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
              "metadata: {name: t, namespace: ns}\n"
              "spec: {rules: [{matches: [], backendRefs: [{name: b, port: 80}]}]}\n",
          false);
    ck_assert(f.ok);
    r = f.m.objects[KIND_HTTP_ROUTE].v[0];
    ck_assert_uint_eq(r->n_rules, 0);
    r = f.m.objects[KIND_HTTP_ROUTE].v[1];
    ck_assert_uint_eq(r->n_rules, 1);
    ck_assert_int_eq(r->rules[0].matches[0].path.type, PATH_MATCH_PREFIX);
    r = f.m.objects[KIND_HTTP_ROUTE].v[2];
    ck_assert_uint_eq(r->rules[0].n_matches, 1);
    ck_assert_str_eq(r->rules[0].matches[0].path.value, "/");
    ck_assert_int_eq(r->rules[0].backend_refs[0].weight, 1);
    ck_assert_str_eq(r->rules[0].backend_refs[0].kind, "Service");
    done(&f);
}
END_TEST

/* kubectl get -o json | jq -c: a List on one line, one unknown field per
 * item.  Each warning's position is found without rescanning the line
 * (this was quadratic: 13 s for 729 KB). */
START_TEST(positions_on_one_long_line_are_not_rescanned)
{
    enum { ITEMS = 4000, BYTES_PER_DIAGNOSTIC = 4096 };
    struct strbuf text = STRBUF_INIT;
    struct fixture f;
    size_t i, warnings = 0;

    strbuf_addstr(&text, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
    for (i = 0; i < ITEMS; i++)
        strbuf_addf(&text, "%s{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                    "\"metadata\":{\"name\":\"c%zu\",\"namespace\":\"d\"},"
                    "\"data\":{\"k\":\"gr\u00fc\u00dfe \xe2\x82\xac\"},"
                    "\"extra%zu\":1}", i ? "," : "", i, i);
    strbuf_addstr(&text, "]}");
    build(&f, text.buf, false);
    for (i = 0; i < f.c.diags.n; i++) {
        const struct diag *d = f.c.diags.v[i];
        ck_assert_int_eq(d->code, DIAG_UNKNOWN_FIELD);
        ck_assert_uint_eq(d->loc.line, 1);
        ck_assert_int_eq(text.buf[d->loc.offset], '"');
        ck_assert(strncmp(text.buf + d->loc.offset + 1, "extra", 5) == 0);
        warnings++;
    }
    ck_assert_uint_eq(warnings, ITEMS);
    ck_assert_uint_le(source_get(&f.c.sources, 0)->lookup_bytes,
                      ITEMS * BYTES_PER_DIAGNOSTIC);
    strbuf_release(&text);
    done(&f);
}
END_TEST

/* Labels, annotations and ConfigMap data are ordered by key at a cost of
 * n log n comparisons, however they are ordered in the input (100,000
 * labels in reverse order took 19 s). */
START_TEST(string_maps_sort_in_n_log_n)
{
    enum { N = 100000, LOG2_N = 17 };
    struct strmap m;
    char (*keys)[16] = malloc(N * sizeof(*keys));
    size_t i, compares;

    m.n = N;
    m.v = calloc(N, sizeof(*m.v));
    for (i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%06zu", N - i);
        m.v[i].key = keys[i];
    }
    compares = model_strmap_sort(&m);
    for (i = 1; i < N; i++)
        ck_assert_int_lt(strcmp(m.v[i - 1].key, m.v[i].key), 0);
    ck_assert_uint_le(compares, (size_t)N * LOG2_N);
    free(m.v);
    free(keys);
}
END_TEST

/* A key written twice (an error the loader reports) keeps both entries, in
 * document order, after every other key that sorts before it. */
START_TEST(string_map_duplicates_keep_document_order)
{
    struct fixture f;
    const struct strmap *l;

    build(&f, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n"
              "  labels: {b: first, a: one, b: second, c: two}\n", false);
    ck_assert(!f.ok);
    l = &((struct object *)f.m.objects[KIND_NAMESPACE].v[0])->meta.labels;
    ck_assert_uint_eq(l->n, 4);
    ck_assert_str_eq(l->v[0].key, "a");
    ck_assert_str_eq(l->v[1].value, "first");
    ck_assert_str_eq(l->v[2].value, "second");
    ck_assert_str_eq(l->v[3].key, "c");
    done(&f);
}
END_TEST

START_TEST(lookups_by_name_and_by_service)
{
    struct fixture f;
    const struct ptrvec *v;
    const char text[] =
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
        "metadata: {name: web-b, namespace: shop,"
        " labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\n"
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
        "metadata: {name: web-a, namespace: shop,"
        " labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\n"
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
        "metadata: {name: web-c, namespace: other,"
        " labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\n"
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
        "metadata: {name: unlabelled, namespace: shop}\naddressType: IPv4\n";

    build(&f, text, true);
    ck_assert(f.ok);
    ck_assert_str_eq(model_find(&f.m, KIND_SERVICE, "shop", "web")->nsname, "shop/web");
    ck_assert_ptr_null(model_find(&f.m, KIND_SERVICE, "other", "web"));
    ck_assert_ptr_null(model_find(&f.m, KIND_SERVICE, "shop", NULL));
    /* Cluster-scoped: the namespace is ignored. */
    ck_assert_str_eq(model_find(&f.m, KIND_NAMESPACE, "x", "shop")->nsname, "shop");
    /* A Service's slices, in name order, from its namespace only. */
    v = model_endpoint_slices(&f.m, "shop", "web");
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(v->n, 2);
    ck_assert_str_eq(((struct object *)v->v[0])->nsname, "shop/web-a");
    ck_assert_str_eq(((struct object *)v->v[1])->nsname, "shop/web-b");
    ck_assert_uint_eq(model_endpoint_slices(&f.m, "other", "web")->n, 1);
    ck_assert_ptr_null(model_endpoint_slices(&f.m, "shop", "unlabelled"));
    ck_assert_ptr_null(model_endpoint_slices(&f.m, "shop/web", ""));
    done(&f);
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, route_decodes_with_defaults);
    tcase_add_test(tc, route_without_rules_gets_the_default_rule);
    tcase_add_test(tc, strict_scalars_are_type_errors);
    tcase_add_test(tc, enum_fields_decode_by_name);
    tcase_add_test(tc, booleans_must_be_booleans);
    tcase_add_test(tc, unknown_fields_fail_unless_allowed);
    tcase_add_test(tc, core_kinds_ignore_fields_gwc_does_not_model);
    tcase_add_test(tc, missing_fields_and_type_meta);
    tcase_add_test(tc, versions_and_kinds);
    tcase_add_test(tc, list_items_decode_with_item_paths);
    tcase_add_test(tc, objects_sort_and_duplicates_are_errors);
    tcase_add_test(tc, null_values_are_unset);
    tcase_add_test(tc, present_bits_follow_the_keys);
    tcase_add_test(tc, a_default_written_is_given_a_default_applied_is_not);
    tcase_add_test(tc, policy_present_bits);
    tcase_add_test(tc, defaults_where_the_crds_put_them);
    tcase_add_test(tc, positions_on_one_long_line_are_not_rescanned);
    tcase_add_test(tc, string_maps_sort_in_n_log_n);
    tcase_add_test(tc, string_map_duplicates_keep_document_order);
    tcase_add_test(tc, lookups_by_name_and_by_service);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(decode_suite());
}
