/*
 * The graph as Graphviz DOT, Mermaid and JSON.  Labels carry names from
 * the manifests: each format's quoting keeps them text.
 */
#include "graph.h"

#include "base/jsonw.h"
#include "base/strbuf.h"

#include <stdio.h>

static const char *const shapes[] = {"hexagon", "box3d", "component", "box", "cylinder"};
static const char *const kinds[] = {"GatewayClass", "Gateway", "Listener", "Route", "Backend"};

/* A DOT double-quoted string: '"' and '\' escaped, line breaks dropped. */
static void dot_string(struct strbuf *out, const char *s)
{
    strbuf_addch(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addch(out, '\\');
        if (*s != '\n' && *s != '\r')
            strbuf_addch(out, *s);
    }
    strbuf_addch(out, '"');
}

void graph_write_dot(const struct graph *g, struct strbuf *out)
{
    size_t i;

    strbuf_addstr(out, "digraph gwc {\n    rankdir=LR;\n    node [fontname=\"sans-serif\"];\n"
                       "    edge [fontname=\"sans-serif\", fontsize=10];\n");
    for (i = 0; i < g->n_nodes; i++) {
        strbuf_addf(out, "    n%zu [shape=%s, label=", i, shapes[g->nodes[i].kind]);
        dot_string(out, g->nodes[i].label);
        strbuf_addstr(out, "];\n");
    }
    for (i = 0; i < g->n_edges; i++) {
        const struct graph_edge *e = &g->edges[i];
        strbuf_addf(out, "    n%zu -> n%zu [label=", e->from, e->to);
        dot_string(out, e->label);
        strbuf_addstr(out, e->rejected ? ", color=red, fontcolor=red, style=dashed];\n" : "];\n");
    }
    strbuf_addstr(out, "}\n");
}

/* Mermaid's quoted label: '"' is written as an entity, and so are the
 * characters Mermaid would read as markup. */
static void mermaid_string(struct strbuf *out, const char *s)
{
    static const char *const entity[0x80] = {
        ['"'] = "#quot;", ['#'] = "#35;", ['<'] = "#lt;", ['>'] = "#gt;",
        ['\n'] = "", ['\r'] = "",
    };

    strbuf_addch(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x80 && entity[c])
            strbuf_addstr(out, entity[c]);
        else
            strbuf_addch(out, *s);
    }
    strbuf_addch(out, '"');
}

void graph_write_mermaid(const struct graph *g, struct strbuf *out)
{
    size_t i;

    strbuf_addstr(out, "flowchart LR\n");
    for (i = 0; i < g->n_nodes; i++) {
        strbuf_addf(out, "    n%zu[", i);
        mermaid_string(out, g->nodes[i].label);
        strbuf_addstr(out, "]\n");
    }
    for (i = 0; i < g->n_edges; i++) {
        const struct graph_edge *e = &g->edges[i];
        strbuf_addf(out, "    n%zu %s|", e->from, e->rejected ? "-.->" : "-->");
        mermaid_string(out, e->label);
        strbuf_addf(out, "| n%zu\n", e->to);
    }
    for (i = 0; i < g->n_edges; i++) {
        if (g->edges[i].rejected)
            strbuf_addf(out, "    linkStyle %zu stroke:red,color:red\n", i);
    }
}

void graph_write_json(const struct graph *g, struct strbuf *out)
{
    struct jsonw w;
    size_t i;

    jsonw_init(&w, out, false);
    jsonw_object_begin(&w);
    jsonw_kv_array_begin(&w, "nodes");
    for (i = 0; i < g->n_nodes; i++) {
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "id", g->nodes[i].id);
        jsonw_kv_string(&w, "kind", kinds[g->nodes[i].kind]);
        jsonw_kv_string(&w, "label", g->nodes[i].label);
        if (g->nodes[i].source)
            jsonw_kv_string(&w, "source", g->nodes[i].source);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_kv_array_begin(&w, "edges");
    for (i = 0; i < g->n_edges; i++) {
        const struct graph_edge *e = &g->edges[i];
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "from", g->nodes[e->from].id);
        jsonw_kv_string(&w, "to", g->nodes[e->to].id);
        jsonw_kv_string(&w, "label", e->label);
        jsonw_key(&w, "rejected");
        jsonw_bool(&w, e->rejected);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    strbuf_addch(out, '\n');
}
