/*
 * Building the model: recognise each document's kind and apiVersion, decode
 * it with its table, apply the CRD defaults, then sort every kind so that
 * nothing downstream depends on the order of files or documents.
 */
#include "tables.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "base/suggest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *model_object_label(struct compilation *c, const struct object *o)
{
    return ARENA_JOIN(c->arena, model_kind_name(o->kind), " ", o->nsname);
}

const char *model_path(struct compilation *c, const struct ynode *n)
{
    struct strbuf sb = STRBUF_INIT;
    const char *p;

    ynode_path(n, &sb);
    p = arena_strndup(c->arena, sb.buf, sb.len);
    strbuf_release(&sb);
    return p;
}

struct model_builder {
    struct compilation *c;
    const struct model_options *opt;
    struct model *m;
    uint32_t seq;
    bool ok;
    struct decode_empties empties;
    struct ynode_keeper *keeper; /* with opt->check */
    /* With opt->check: the trees' arena while one object is checked, so
     * the check's scratch (schema_seen_init()) goes after each object. */
    struct arena *check_scratch;
    bool in_copy; /* decoding a tree copied already (a List's) */
};

static const char *scalar_text(const struct ynode *n)
{
    return n && n->kind == YNODE_SCALAR && n->scalar == YSCALAR_STRING ? n->text
                                                                       : NULL;
}

static void error_at(struct model_builder *b, enum diag_code code,
                     const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(struct model_builder *b, enum diag_code code,
                     const struct ynode *at, const char *fmt, ...)
{
    struct strbuf path = STRBUF_INIT;
    va_list ap;

    ynode_path(at, &path);
    va_start(ap, fmt);
    diag_vreport(&b->c->diags, diag_info(code)->severity, code,
                 ynode_loc(b->c, at), NULL, path.buf, fmt, ap);
    va_end(ap);
    strbuf_release(&path);
    if (diag_info(code)->severity == DIAG_ERROR)
        b->ok = false;
}

/*
 * The API groups whose every kind gwc knows: the kinds it reads (kind_infos)
 * and the others, which it skips.  In these groups an unknown kind can only
 * be a misspelling, and the object would silently be left out, so it is an
 * error (kubectl apply refuses it too).  Kinds of other groups (CRDs, apps/v1,
 * Istio's networking.istio.io Gateway) are skipped with a note.
 */
static const char *const core_others[] = {
    "Binding", "ComponentStatus", "Endpoints", "Event", "LimitRange", "Node",
    "PersistentVolume", "PersistentVolumeClaim", "Pod", "PodTemplate",
    "ReplicationController", "ResourceQuota", "ServiceAccount", NULL};
static const char *const gateway_others[] = {"BackendLBPolicy", NULL};
static const char *const networking_others[] = {"IPAddress", "NetworkPolicy",
                                                "ServiceCIDR", NULL};
static const char *const no_others[] = {NULL};

static const struct {
    const char *group;
    const char *const *others;
} known_groups[] = {
    {"", core_others},
    {GATEWAY_GROUP, gateway_others},
    {"networking.k8s.io", networking_others},
    {"discovery.k8s.io", no_others},
};

static const char *const *known_group(const char *group)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(known_groups); i++) {
        if (strcmp(known_groups[i].group, group) == 0)
            return known_groups[i].others;
    }
    return NULL;
}

/* The kind gwc reads by that name: in the group when it has one there,
 * else in any group. */
static const struct kind_info *find_kind(const char *group, const char *name)
{
    const struct kind_info *any = NULL;
    size_t i;

    for (i = 0; i < KIND__COUNT; i++) {
        if (strcmp(model_kind_infos[i].name, name) != 0)
            continue;
        if (strcmp(model_kind_infos[i].group, group) == 0)
            return &model_kind_infos[i];
        any = &model_kind_infos[i];
    }
    return any;
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (strcmp(*list, s) == 0)
            return true;
    }
    return false;
}

/* A kind of a known group that the group does not define. */
static void report_unknown_kind(struct model_builder *b, const struct ynode *kn,
                                const char *group, const char *kind,
                                const char *const *others)
{
    struct suggest sg;
    const char *best;
    size_t i;

    suggest_begin(&sg, kind, NULL);
    for (i = 0; i < KIND__COUNT; i++) {
        if (strcmp(model_kind_infos[i].group, group) == 0)
            suggest_add(&sg, model_kind_infos[i].name);
    }
    for (; *others; others++)
        suggest_add(&sg, *others);
    best = suggest_result(&sg);
    error_at(b, DIAG_KIND_NOT_IN_GROUP, kn, "%s has no kind '%s'" SUGGEST_FMT,
             *group ? group : "the core API group (v1)", kind, SUGGEST_ARGS(best));
}

static bool version_served(const struct kind_info *ki, const char *version)
{
    const char *const *v;

    for (v = ki->versions; *v; v++) {
        if (strcmp(*v, version) == 0)
            return true;
    }
    return false;
}

static void report_version(struct model_builder *b, const struct kind_info *ki,
                           const struct ynode *at, const char *api_version)
{
    struct strbuf want = STRBUF_INIT;
    const char *const *v;

    for (v = ki->versions; *v; v++) {
        if (want.len)
            strbuf_addstr(&want, v[1] ? ", " : " or ");
        strbuf_addf(&want, "%s%s%s", ki->group, *ki->group ? "/" : "", *v);
    }
    diag_report(&b->c->diags, DIAG_UNSUPPORTED_VERSION, ynode_loc(b->c, at), NULL,
                "apiVersion", "%s is served as %s, not '%s'", ki->name, want.buf,
                api_version);
    strbuf_release(&want);
    b->ok = false;
}

static void decode_object(struct model_builder *b, const struct ynode *root);

/* The kinds a repository has thousands of, whose trees later stages
 * navigate only to the nodes their fields keep (FIELD_KEEP_NODE rows, for
 * the controller's findings about a value). */
static bool pruned_kind(enum kind k)
{
    return k == KIND_SERVICE || k == KIND_ENDPOINT_SLICE || k == KIND_HTTP_ROUTE ||
           k == KIND_GRPC_ROUTE;
}

static bool read_elsewhere(const struct model_options *o, const char *api_version)
{
    const char *slash = strchr(api_version, '/');
    const char *const *g;

    for (g = o->read_elsewhere; g && *g && slash; g++) {
        if (strlen(*g) == (size_t)(slash - api_version) &&
            strncmp(*g, api_version, strlen(*g)) == 0)
            return true;
    }
    return false;
}

static void decode_list(struct model_builder *b, const struct ynode *root)
{
    const struct ynode *items = ynode_get(root, "items");
    uint32_t i;

    if (ynode_is_null(items))
        return;
    if (items->kind != YNODE_SEQ) {
        struct decoder d = {b->c, NULL, false, true, 0, &b->empties};
        model_decode_type_error(&d, items, "list");
        b->ok = false;
        return;
    }
    for (i = 0; i < items->n; i++) {
        if (items->items[i]->kind != YNODE_MAP) {
            struct decoder d = {b->c, NULL, false, true, 0, &b->empties};
            model_decode_type_error(&d, items->items[i], "mapping");
            b->ok = false;
            continue;
        }
        decode_object(b, items->items[i]);
    }
}

static void add_object(struct model_builder *b, struct object *o)
{
    ptrvec_push(b->c->arena, &b->m->objects[o->kind], o);
}

static void add_input(struct model_builder *b, const struct ynode *root, const char *label)
{
    struct model_input *in = ARENA_NEW(b->c->arena, struct model_input);

    in->loc = ynode_loc(b->c, root);
    if (label)
        in->ignore = ynode_keep(b->c->arena,
                                ynode_get(ynode_get(ynode_get(root, "metadata"),
                                                    "annotations"),
                                          MODEL_IGNORE_ANNOTATION));
    in->label = label;
    ptrvec_push(b->c->arena, &b->m->inputs, in);
}

/* "Kind namespace/name", or "Kind" alone when there is no name. */
static const char *written_label(struct model_builder *b, const char *kind, const char *ns,
                                 const char *name)
{
    if (!name)
        return kind;
    return ns ? ARENA_JOIN(b->c->arena, kind, " ", ns, "/", name)
              : ARENA_JOIN(b->c->arena, kind, " ", name);
}

static void decode_object(struct model_builder *b, const struct ynode *root)
{
    const struct ynode *av = ynode_get(root, "apiVersion");
    const struct ynode *kn = ynode_get(root, "kind");
    const struct ynode *meta = ynode_get(root, "metadata");
    const char *api_version = scalar_text(av), *kind = scalar_text(kn);
    const char *name = scalar_text(ynode_get(meta, "name"));
    const char *ns = scalar_text(ynode_get(meta, "namespace"));
    const char *slash, *group, *version, *label;
    const char *const *others;
    const struct kind_info *ki;
    struct decoder d;
    struct object *o;
    bool prune;

    if (!api_version || !kind || (strcmp(kind, "List") == 0 && strcmp(api_version, "v1") == 0))
        add_input(b, root, NULL);
    if (!api_version || !kind) {
        error_at(b, DIAG_MISSING_TYPE_META, av && !api_version ? av : kn && !kind ? kn : root,
                 "object has no %s; every Kubernetes object needs apiVersion and kind",
                 !api_version ? (av ? "string apiVersion" : "apiVersion")
                              : (kn ? "string kind" : "kind"));
        return;
    }
    if (strcmp(kind, "List") == 0 && strcmp(api_version, "v1") == 0) {
        /* Its items' trees hang from it: copied whole, once. */
        bool copy = b->keeper && !b->in_copy;
        if (copy) {
            root = ynode_copy(b->c->tree, root);
            b->in_copy = true;
        }
        decode_list(b, root);
        if (copy)
            b->in_copy = false;
        return;
    }
    b->m->n_manifests++;
    slash = strrchr(api_version, '/');
    group = slash ? arena_strndup(b->c->arena, api_version,
                                  (size_t)(slash - api_version))
                  : "";
    version = slash ? slash + 1 : api_version;
    others = known_group(group);
    ki = find_kind(group, kind);
    if (ki && strcmp(ki->group, group) != 0 && !others &&
        !(*ki->group && suggest_near(group, ki->group)))
        ki = NULL; /* another project's kind of that name */
    /* Labelled as diagnostics name the object: the namespace defaulted
     * where the kind has one. */
    label = written_label(b, kind, ki && !ki->namespaced ? NULL : ki && !ns ? "default" : ns,
                          name);
    add_input(b, root, label);
    if (!ki && read_elsewhere(b->opt, api_version))
        return;
    if (!ki && others && !in_list(others, kind)) {
        report_unknown_kind(b, kn, group, kind, others);
        return;
    }
    if (!ki) {
        diag_report(&b->c->diags, DIAG_UNKNOWN_KIND, ynode_loc(b->c, kn), NULL, NULL,
                    "%s %s is not read by gwc; skipped", api_version, kind);
        return;
    }
    if (strcmp(group, ki->group) != 0 || !version_served(ki, version)) {
        report_version(b, ki, av, api_version);
        return;
    }
    if (!name) {
        error_at(b, DIAG_MISSING_TYPE_META, meta ? meta : root,
                 "%s has no metadata.name", kind);
        return;
    }
    if (!ki->namespaced)
        ns = NULL;
    else if (!ns)
        ns = "default"; /* as kubectl applies it without -n */
    prune = b->keeper && !b->in_copy && pruned_kind(ki->kind);
    if (b->keeper && !b->in_copy && !prune)
        root = ynode_copy(b->c->tree, root);

    o = arena_alloc(b->c->arena, ki->size, ki->align);
    o->kind = ki->kind;
    o->src = root;
    o->api_version = api_version;
    o->seq = b->seq++;
    /* The label as written is the model's ("Kind ns/name", the namespace
     * defaulted as here): one copy, of which nsname is the tail. */
    o->nsname = label + strlen(kind) + 1;
    o->created = INT_UNSET;
#ifdef GWC_ARENA_DEBUG
    if (strcmp(label, model_object_label(b->c, o)) != 0)
        BUG("an object's label is not the one written");
#endif
    d.c = b->c;
    d.object = label;
    /* A misspelt AccessPolicy field (clientAdresses) would leave a route
     * open: unknown fields there are errors whatever the mode. */
    d.allow_unknown_fields =
        b->opt->allow_unknown_fields && ki->kind != KIND_ACCESS_POLICY;
    d.ok = true;
    d.suggest_budget = 1u << 22;
    d.empties = &b->empties;
    model_decode_mapping(&d, ki->top, root, o);
    o->meta.namespace = ns;
    if (o->meta.creation_timestamp &&
        !model_parse_rfc3339(o->meta.creation_timestamp, &o->created)) {
        error_at(b, DIAG_INVALID_TIMESTAMP,
                 ynode_get(meta, "creationTimestamp"),
                 "creationTimestamp '%s' is not an RFC 3339 timestamp",
                 o->meta.creation_timestamp);
        d.ok = false;
    }
    if (!d.ok) {
        b->ok = false;
        o->rejected = true; /* the API server would not store it */
    }
    if (prune) {
        struct arena *tree = b->c->tree;
        b->c->tree = b->check_scratch;
        b->opt->check(b->c, o);
        b->c->tree = tree;
        arena_reset(b->check_scratch);
        o->checked = true;
        model_keep_nodes(b->keeper, ki->top, o);
        ynode_keeper_end(b->keeper);
    }
    add_object(b, o);
}

static int cmp_objects(const void *pa, const void *pb)
{
    const struct object *a = *(const struct object *const *)pa;
    const struct object *b = *(const struct object *const *)pb;
    int c = strcmp(a->nsname, b->nsname);

    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Two objects with one identity: the API server would keep the last one
 * applied, which depends on file order; gwc refuses to guess. */
static void check_duplicates(struct model_builder *b, struct ptrvec *pv)
{
    size_t i;

    for (i = 1; i < pv->n; i++) {
        const struct object *prev = pv->v[i - 1], *o = pv->v[i];
        struct diag *d;

        if (strcmp(prev->nsname, o->nsname) != 0)
            continue;
        d = diag_report(&b->c->diags, DIAG_DUPLICATE_OBJECT,
                        ynode_loc(b->c, o->src), model_object_label(b->c, o), NULL,
                        "%s '%s' is defined more than once",
                        model_kind_name(o->kind), o->nsname);
        diag_add_note(&b->c->diags, d, ynode_loc(b->c, prev->src),
                      "first definition is here");
        b->ok = false;
    }
}

struct model_builder *model_begin(struct compilation *c, const struct model_options *o,
                                  struct model *m)
{
    struct model_builder *b = ARENA_NEW(c->arena, struct model_builder);

    memset(m, 0, sizeof(*m));
    b->c = c;
    b->opt = o;
    b->m = m;
    b->ok = true;
    if (o->check) {
        b->keeper = ynode_keeper_create(c->tree);
        b->check_scratch = arena_create((size_t)64 << 10);
    }
    return b;
}

void model_add(struct model_builder *b, const struct ydoc_list *docs)
{
    size_t i;

    for (i = 0; i < docs->n; i++)
        decode_object(b, docs->v[i].root);
}

bool model_end(struct model_builder *b)
{
    size_t i;

    ynode_keeper_destroy(b->keeper);
    b->keeper = NULL;
    arena_destroy(b->check_scratch);
    b->check_scratch = NULL;
    for (i = 0; i < KIND__COUNT; i++) {
        ptrvec_sort(&b->m->objects[i], cmp_objects);
        check_duplicates(b, &b->m->objects[i]);
    }
    model_index(b->c, b->m);
    return b->ok;
}

bool model_build(struct compilation *c, const struct ydoc_list *docs,
                 const struct model_options *o, struct model *m)
{
    struct model_builder *b = model_begin(c, o, m);

    model_add(b, docs);
    return model_end(b);
}

const char *model_suggest_name(const struct model *m, enum kind kind,
                               const char *namespace, const char *name,
                               size_t *budget)
{
    const struct ptrvec *pv = &m->objects[kind];
    struct strbuf key = STRBUF_INIT;
    size_t lo = 0, hi = pv->n, plen;
    const char *prefix;
    struct suggest s;

    if (budget && !*budget)
        return NULL;
    if (namespace && model_kind_infos[kind].namespaced)
        strbuf_addf(&key, "%s/", namespace);
    prefix = key.buf;
    plen = key.len;
    /* Objects are sorted by "{namespace}/{name}": the namespace's objects
     * are the run that starts at the first key not below "{namespace}/". */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(((const struct object *)pv->v[mid])->nsname, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    suggest_begin(&s, name, budget);
    for (; lo < pv->n && !suggest_spent(&s); lo++) {
        const struct object *o = pv->v[lo];
        if (strncmp(o->nsname, prefix, plen) != 0)
            break;
        if (!o->rejected)
            suggest_add(&s, o->nsname + plen);
    }
    strbuf_release(&key);
    return suggest_result(&s);
}

int model_object_cmp_age(const struct object *a, const struct object *b)
{
    if (a->created != b->created) {
        if (a->created == INT_UNSET)
            return 1;
        if (b->created == INT_UNSET)
            return -1;
        return a->created < b->created ? -1 : 1;
    }
    return strcmp(a->nsname, b->nsname);
}

bool model_header_ignored(const struct value_match *v, size_t i)
{
    size_t j;

    for (j = 0; j < i; j++) {
        if (v[j].name && v[i].name && str_eq_nocase(v[j].name, v[i].name))
            return true;
    }
    return false;
}
