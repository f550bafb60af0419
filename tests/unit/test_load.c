/* Unit tests: the YAML tree builder, scalar resolution and hostile input. */
#include "unit.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"
#include "load/load_internal.h"

#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct fixture {
    struct compilation c;
    struct ydoc_list docs;
    bool ok;
};

static void load(struct fixture *f, const char *text)
{
    compilation_init(&f->c);
    memset(&f->docs, 0, sizeof(f->docs));
    f->ok = load_buffer(&f->c, &load_default_limits, "t.yaml", text, strlen(text),
                        &f->docs);
}

static void done(struct fixture *f)
{
    compilation_release(&f->c);
}

static enum diag_code first_code(const struct fixture *f)
{
    ck_assert_uint_ge(f->c.diags.n, 1);
    return f->c.diags.v[0]->code;
}

START_TEST(tree_keeps_positions_parents_and_paths)
{
    struct fixture f;
    const struct ynode *rules, *port;
    struct strbuf path = STRBUF_INIT;
    struct src_loc loc;

    load(&f, "kind: HTTPRoute\nspec:\n  rules:\n  - backendRefs:\n    - name: a\n      port: 80\n");
    ck_assert(f.ok);
    ck_assert_uint_eq(f.docs.n, 1);
    rules = ynode_get(ynode_get(f.docs.v[0].root, "spec"), "rules");
    ck_assert_int_eq(rules->kind, YNODE_SEQ);
    port = ynode_get(ynode_get(rules->items[0], "backendRefs")->items[0], "port");
    ck_assert_str_eq(port->text, "80");
    ck_assert_int_eq(port->scalar, YSCALAR_INT);
    ynode_path(port, &path);
    ck_assert_str_eq(path.buf, "spec.rules[0].backendRefs[0].port");
    loc = ynode_loc(&f.c, port);
    ck_assert_uint_eq(loc.line, 6);
    ck_assert_uint_eq(loc.col, 13);
    strbuf_release(&path);
    done(&f);
}
END_TEST

/* The sanitizer build frees the trees at the drop: a kept node that still
 * pointed into them would fail there. */
START_TEST(kept_nodes_outlive_the_trees)
{
    struct fixture f;
    const struct ynode *kept, *list;
    struct strbuf path = STRBUF_INIT;
    struct src_loc loc, before;

    load(&f, "kind: HTTPRoute\nspec:\n  rules:\n  - backendRefs:\n    - name: a\n      port: 80\n");
    ck_assert(f.ok);
    list = ynode_get(ynode_get(f.docs.v[0].root, "spec"), "rules");
    before = ynode_loc(&f.c, ynode_get(list->items[0], "backendRefs"));
    kept = ynode_keep(f.c.arena, ynode_get(ynode_get(list->items[0], "backendRefs")->items[0],
                                           "port"));
    list = ynode_keep(f.c.arena, ynode_get(list->items[0], "backendRefs"));
    compilation_drop_tree(&f.c);
    ck_assert_str_eq(kept->text, "80");
    ck_assert_int_eq(kept->scalar, YSCALAR_INT);
    ynode_path(kept, &path);
    ck_assert_str_eq(path.buf, "spec.rules[0].backendRefs[0].port");
    loc = ynode_loc(&f.c, kept);
    ck_assert_uint_eq(loc.line, 6);
    ck_assert_uint_eq(loc.col, 13);
    loc = ynode_key_loc(&f.c, kept);
    ck_assert_uint_eq(loc.line, 6);
    ck_assert_uint_eq(loc.col, 7);
    /* A kept container has its position, not its children. */
    ck_assert_int_eq(list->kind, YNODE_SEQ);
    ck_assert_uint_eq(list->n, 0);
    loc = ynode_loc(&f.c, list);
    ck_assert_uint_eq(loc.line, before.line);
    ck_assert_uint_eq(loc.col, before.col);
    strbuf_release(&path);
    done(&f);
}
END_TEST

/* The port of the route below, kept by a keeper in the compilation's
 * arena; *root receives the kept copy of the document's root. */
static const struct ynode *keep_port(struct fixture *f, const struct ynode **root)
{
    struct ynode_keeper *k;
    const struct ynode *rules, *port;

    load(f, "kind: HTTPRoute\nspec:\n  rules:\n  - backendRefs:\n    - name: a\n      port: 80\n"
            "  - backendRefs: []\n");
    ck_assert(f->ok);
    rules = ynode_get(ynode_get(f->docs.v[0].root, "spec"), "rules");
    k = ynode_keeper_create(f->c.arena);
    port = ynode_keeper_keep(
        k, ynode_get(ynode_get(rules->items[0], "backendRefs")->items[0], "port"));
    *root = ynode_keeper_kept(k, f->docs.v[0].root);
    ynode_keeper_end(k);
    ynode_keeper_destroy(k);
    compilation_drop_tree(&f->c);
    return port;
}

START_TEST(pruned_mapping_answers_for_what_it_kept)
{
    struct fixture f;
    const struct ynode *root, *port = keep_port(&f, &root);
    const struct ynode *rules = ynode_get(ynode_get(root, "spec"), "rules");

    ck_assert_ptr_nonnull(rules);
    ck_assert_uint_eq(rules->n, 0); /* one of its two items is kept */
    ck_assert_str_eq(port->text, "80");
    /* A key the original never had is absent, in every build. */
    ck_assert_ptr_null(ynode_get(root, "metadata"));
    done(&f);
}
END_TEST

#ifdef GWC_ARENA_DEBUG
/* The FIELD_KEEP_NODE hazard: a later lookup of a key the keeper dropped
 * would silently read as absent; the debug build stops there. */
START_TEST(pruned_mapping_refuses_a_dropped_key)
{
    struct fixture f;
    const struct ynode *root;

    keep_port(&f, &root);
    ynode_get(root, "kind");
}
END_TEST

START_TEST(pruned_sequence_refuses_an_item)
{
    struct fixture f;
    const struct ynode *root;

    keep_port(&f, &root);
    ynode_item(ynode_get(root, "spec"), "rules", 1);
}
END_TEST
#endif

START_TEST(path_quotes_keys_that_are_not_identifiers)
{
    struct fixture f;
    struct strbuf path = STRBUF_INIT;
    const struct ynode *v;

    load(&f, "metadata:\n  labels:\n    app.kubernetes.io/name: x\n");
    v = ynode_get(ynode_get(ynode_get(f.docs.v[0].root, "metadata"), "labels"),
                  "app.kubernetes.io/name");
    ynode_path(v, &path);
    ck_assert_str_eq(path.buf, "metadata.labels[\"app.kubernetes.io/name\"]");
    strbuf_release(&path);
    done(&f);
}
END_TEST

START_TEST(multi_document_streams_skip_empty_documents)
{
    struct fixture f;

    load(&f, "# only a comment\n---\na: 1\n---\n---\nb: 2\n---\n");
    ck_assert(f.ok);
    ck_assert_uint_eq(f.docs.n, 2);
    ck_assert_uint_eq(f.docs.v[1].index, 2);
    done(&f);
}
END_TEST

START_TEST(scalars_resolve_as_yaml_1_1)
{
    static const struct {
        const char *text;
        enum yscalar want;
    } cases[] = {
        {"80", YSCALAR_INT},        {"-1", YSCALAR_INT},
        {"0", YSCALAR_INT},         {"080", YSCALAR_INT_OTHER},
        {"0x50", YSCALAR_INT_OTHER}, {"1_000", YSCALAR_INT_OTHER},
        {"1.5", YSCALAR_FLOAT},     {"1e3", YSCALAR_FLOAT},
        {".inf", YSCALAR_FLOAT},    {"yes", YSCALAR_BOOL},
        {"Off", YSCALAR_BOOL},      {"y", YSCALAR_BOOL},
        {"true", YSCALAR_BOOL},     {"~", YSCALAR_NULL},
        {"null", YSCALAR_NULL},     {"", YSCALAR_NULL},
        {"80abc", YSCALAR_STRING},  {"banana", YSCALAR_STRING},
        {"/v2", YSCALAR_STRING},    {"1.2.3.4", YSCALAR_STRING},
        {"yes-please", YSCALAR_STRING}, {"0o17", YSCALAR_INT_OTHER},
        {"0o18", YSCALAR_STRING},   {"0b101", YSCALAR_INT_OTHER},
        {"-.Inf", YSCALAR_FLOAT},   {"+.INF", YSCALAR_FLOAT},
        {".NaN", YSCALAR_FLOAT},    {"FALSE", YSCALAR_BOOL},
        {"tRue", YSCALAR_STRING},   {"NULL", YSCALAR_NULL},
        {"-5", YSCALAR_INT},        {"+0x1F", YSCALAR_INT_OTHER},
        {"1.e5", YSCALAR_FLOAT},    {"_1", YSCALAR_STRING},
        {"o", YSCALAR_STRING},      {"-x", YSCALAR_STRING},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fixture f;
        struct strbuf text = STRBUF_INIT;
        strbuf_addf(&text, "v: %s\n", cases[i].text);
        load(&f, text.buf);
        ck_assert_msg(ynode_get(f.docs.v[0].root, "v")->scalar == cases[i].want,
                      "'%s' resolved wrongly", cases[i].text);
        strbuf_release(&text);
        done(&f);
    }
}
END_TEST

START_TEST(quoted_scalars_are_strings)
{
    struct fixture f;

    load(&f, "a: \"80\"\nb: 'yes'\nc: !!str 1\n");
    ck_assert_int_eq(ynode_get(f.docs.v[0].root, "a")->scalar, YSCALAR_STRING);
    ck_assert_int_eq(ynode_get(f.docs.v[0].root, "b")->scalar, YSCALAR_STRING);
    ck_assert_int_eq(ynode_get(f.docs.v[0].root, "c")->scalar, YSCALAR_STRING);
    done(&f);
}
END_TEST

START_TEST(alias_bomb_is_refused_at_once)
{
    struct fixture f;
    struct strbuf text = STRBUF_INIT;
    clock_t t0 = clock();
    int i, j;

    strbuf_addstr(&text, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (i = 1; i < 12; i++) {
        strbuf_addf(&text, "a%d: &a%d [", i, i);
        for (j = 0; j < 10; j++)
            strbuf_addf(&text, "%s*a%d", j ? ", " : "", i - 1);
        strbuf_addstr(&text, "]\n");
    }
    ck_assert_uint_lt(text.len, 1024);
    load(&f, text.buf);
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_YAML_ALIAS);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.line, 2);
    /* Generous bound: the point is "not exponential", not speed. */
    ck_assert_msg((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0, "alias bomb took too long");
    strbuf_release(&text);
    done(&f);
}
END_TEST

START_TEST(deep_nesting_is_refused)
{
    struct fixture f;
    struct strbuf text = STRBUF_INIT;

    strbuf_addstr(&text, "a: ");
    strbuf_addchars(&text, '[', 100000);
    load(&f, text.buf);
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_YAML_DEPTH);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.col, 4 + 63);
    strbuf_release(&text);
    done(&f);
}
END_TEST

START_TEST(duplicate_keys_are_reported_with_both_places)
{
    struct fixture f;

    load(&f, "a: 1\nb: 2\na: 3\n");
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_YAML_DUPLICATE_KEY);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.line, 3);
    ck_assert_uint_eq(f.c.diags.v[0]->note_loc.line, 1);
    done(&f);
}
END_TEST

START_TEST(duplicate_keys_in_large_mappings)
{
    struct fixture f;
    struct strbuf text = STRBUF_INIT;
    int i;

    for (i = 0; i < 100; i++)
        strbuf_addf(&text, "k%d: v\n", i);
    strbuf_addstr(&text, "k42: again\n");
    load(&f, text.buf);
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_YAML_DUPLICATE_KEY);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.line, 101);
    ck_assert_uint_eq(f.c.diags.v[0]->note_loc.line, 43);
    strbuf_release(&text);
    done(&f);
}
END_TEST

/* The parser's cache of recent texts is indexed by length and the first
 * and last 8 bytes: texts alike in all three share a slot and must still
 * be told apart, keys (duplicate test) and values alike; equal texts are
 * one copy. */
START_TEST(texts_alike_at_both_ends_stay_apart)
{
    struct fixture f;
    struct strbuf text = STRBUF_INIT;
    const struct ynode *root;
    char key[32], want[32];
    int i;

    for (i = 0; i < 40; i++)
        strbuf_addf(&text, "prefix00%cmiddle%csuffix00: value000%cvalue000\n",
                    'a' + i % 26, 'A' + i / 26, 'a' + i % 26);
    strbuf_addstr(&text, "again: value000bvalue000\n");
    load(&f, text.buf);
    ck_assert(f.ok);
    root = f.docs.v[0].root;
    ck_assert_uint_eq(root->n, 41);
    for (i = 0; i < 40; i++) {
        snprintf(key, sizeof(key), "prefix00%cmiddle%csuffix00", 'a' + i % 26, 'A' + i / 26);
        snprintf(want, sizeof(want), "value000%cvalue000", 'a' + i % 26);
        ck_assert_str_eq(root->items[i]->key, key);
        ck_assert_str_eq(root->items[i]->text, want);
    }
    ck_assert_ptr_eq(ynode_get(root, "again")->text, root->items[1]->text);
    strbuf_release(&text);
    done(&f);
}
END_TEST

START_TEST(bad_bytes_are_positioned)
{
    struct fixture f;

    load(&f, "a: ok\nb: caf\xe9\n");
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_INVALID_UTF8);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.line, 2);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.col, 7);
    done(&f);

    compilation_init(&f.c);
    memset(&f.docs, 0, sizeof(f.docs));
    f.ok = load_buffer(&f.c, &load_default_limits, "t.yaml", "a: \xc3\xa9\0x\n", 8,
                       &f.docs);
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_CONTROL_CHARACTER);
    ck_assert_uint_eq(f.c.diags.v[0]->loc.col, 5);
    done(&f);
}
END_TEST

START_TEST(top_level_must_be_a_mapping)
{
    struct fixture f;

    load(&f, "- a\n- b\n");
    ck_assert(!f.ok);
    ck_assert_int_eq(first_code(&f), DIAG_DOCUMENT_NOT_OBJECT);
    done(&f);
}
END_TEST

START_TEST(empty_input_has_no_documents)
{
    struct fixture f;

    load(&f, "");
    ck_assert(f.ok);
    ck_assert_uint_eq(f.docs.n, 0);
    ck_assert_uint_eq(f.c.diags.n, 0);
    done(&f);
}
END_TEST

START_TEST(files_over_the_size_limit_are_refused)
{
    struct load_limits lim = load_default_limits;
    struct compilation c;
    struct ydoc_list docs = {0};
    char path[] = "/tmp/gwc-test-XXXXXX";
    const char *paths[1] = {path};
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    int i;

    for (i = 0; i < 200; i++)
        fputs("# padding line\n", f);
    fclose(f);
    lim.max_file_bytes = 1024;
    compilation_init(&c);
    ck_assert(!load_inputs(&c, &lim, paths, 1, NULL, &docs));
    ck_assert_int_eq(c.diags.v[0]->code, DIAG_FILE_TOO_LARGE);
    ck_assert_uint_eq(docs.n, 0);
    compilation_release(&c);
    unlink(path);
}
END_TEST

/* What each_document saw: per call, the documents' indexes in their file. */
struct seen_calls {
    unsigned calls;
    uint32_t index[8][4];
    size_t n[8];
};

static void record_documents(void *ctx, const struct ydoc_list *docs)
{
    struct seen_calls *seen = ctx;
    size_t i;

    ck_assert_uint_lt(seen->calls, 8);
    for (i = 0; i < docs->n && i < 4; i++) {
        ck_assert_int_eq(docs->v[i].root->kind, YNODE_MAP);
        seen->index[seen->calls][i] = docs->v[i].index;
    }
    seen->n[seen->calls++] = docs->n;
}

static void write_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    fputs(text, f);
    fclose(f);
}

/* Documents go on one at a time once their file is known to hold
 * manifests; those before the first manifest wait for it, and a file of
 * other YAML is skipped whole, as when the file was judged at its end. */
START_TEST(documents_go_on_as_parsed)
{
    char manifests[] = "/tmp/gwc-test-XXXXXX", other[] = "/tmp/gwc-test-XXXXXX";
    const char *paths[2] = {manifests, other};
    struct seen_calls seen = {0};
    struct load_scope scope = {.each_document = record_documents,
                               .each_document_ctx = &seen};
    struct compilation c;
    bool not_object = false, not_kubernetes = false;
    size_t i;

    write_file(manifests, "values: 1\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n"
                          "---\n- not a mapping\n---\n---\napiVersion: v1\nkind: Secret\n"
                          "metadata: {name: b}\n");
    write_file(other, "values: 1\n---\nmore: 2\n");
    compilation_init(&c);
    ck_assert(!load_inputs(&c, &load_default_limits, paths, 2, &scope, NULL));
    ck_assert_uint_eq(seen.calls, 2);
    ck_assert_uint_eq(seen.n[0], 2);
    ck_assert_uint_eq(seen.index[0][0], 0);
    ck_assert_uint_eq(seen.index[0][1], 1);
    ck_assert_uint_eq(seen.n[1], 1);
    ck_assert_uint_eq(seen.index[1][0], 4); /* the empty document counts */
    for (i = 0; i < c.diags.n; i++) {
        not_object |= c.diags.v[i]->code == DIAG_DOCUMENT_NOT_OBJECT;
        not_kubernetes |= c.diags.v[i]->code == DIAG_NOT_KUBERNETES;
    }
    ck_assert(not_object && not_kubernetes);
    ck_assert_uint_eq(c.diags.n, 2);
    compilation_release(&c);
    unlink(manifests);
    unlink(other);
}
END_TEST

static long template_at(const char *text)
{
    size_t at;

    return load_find_template(text, strlen(text), &at) ? (long)at : -1;
}

START_TEST(templates_are_told_from_yaml)
{
    ck_assert_int_eq(template_at("{{- if .Values.on }}\nkind: A\n"), 0);
    ck_assert_int_eq(template_at("metadata:\n  name: {{ .Release.Name }}\n"), 18);
    ck_assert_int_eq(template_at("a: [x, {{ y }}]\n"), 7);
    /* Text in strings, block scalars and comments is not a template. */
    ck_assert_int_eq(template_at("a: \"{{ x }}\"\nb: '{{ y }}'\n"), -1);
    ck_assert_int_eq(template_at("a: 'it''s {{ y }}'\n"), -1);
    ck_assert_int_eq(template_at("a: \"q\\\" {{ x }}\"\n"), -1);
    ck_assert_int_eq(template_at("a: \"two\n  {{ lines }}\"\n"), -1);
    ck_assert_int_eq(template_at("# {{ comment }}\na: 1 # {{ x }}\n"), -1);
    ck_assert_int_eq(template_at("data:\n  t: |-\n    {{ x }}\n\n      {{ y }}\n  u: 1\n"), -1);
    ck_assert_int_eq(template_at("- >\n  {{ x }}\n- {{ y }}\n"), 16);
    /* An apostrophe inside a plain scalar opens nothing. */
    ck_assert_int_eq(template_at("a: it's\nb: {{ x }}\n"), 11);
    ck_assert_int_eq(template_at("a: {b: 1}\n"), -1);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, tree_keeps_positions_parents_and_paths);
    tcase_add_test(tc, kept_nodes_outlive_the_trees);
    tcase_add_test(tc, path_quotes_keys_that_are_not_identifiers);
    tcase_add_test(tc, multi_document_streams_skip_empty_documents);
    tcase_add_test(tc, scalars_resolve_as_yaml_1_1);
    tcase_add_test(tc, texts_alike_at_both_ends_stay_apart);
    tcase_add_test(tc, quoted_scalars_are_strings);
    tcase_add_test(tc, alias_bomb_is_refused_at_once);
    tcase_add_test(tc, deep_nesting_is_refused);
    tcase_add_test(tc, duplicate_keys_are_reported_with_both_places);
    tcase_add_test(tc, duplicate_keys_in_large_mappings);
    tcase_add_test(tc, bad_bytes_are_positioned);
    tcase_add_test(tc, top_level_must_be_a_mapping);
    tcase_add_test(tc, empty_input_has_no_documents);
    tcase_add_test(tc, files_over_the_size_limit_are_refused);
    tcase_add_test(tc, templates_are_told_from_yaml);
    tcase_add_test(tc, documents_go_on_as_parsed);
    tcase_add_test(tc, pruned_mapping_answers_for_what_it_kept);
#ifdef GWC_ARENA_DEBUG
    tcase_add_test_raise_signal(tc, pruned_mapping_refuses_a_dropped_key, SIGABRT);
    tcase_add_test_raise_signal(tc, pruned_sequence_refuses_an_item, SIGABRT);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(load_suite());
}
