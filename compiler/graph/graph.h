/*
 * Stage 5 (beside emit): the routing graph `gwc graph` draws.
 * GatewayClass -> Gateway -> listener -> route -> backend, built from the
 * controller's view: an edge per route attachment (per parentRef) labelled
 * with its Accepted condition, an edge per backendRef with its rule and
 * weight and the ReferenceGrant that lets it cross namespaces.  What the
 * controller refused stays in the graph, marked rejected, with the reason.
 *
 * Nodes and edges are sorted, so the same manifests in any order give the
 * same bytes.
 */
#ifndef GWC_GRAPH_H
#define GWC_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

struct compilation;
struct controller;
struct strbuf;

enum graph_kind { GRAPH_CLASS, GRAPH_GATEWAY, GRAPH_LISTENER, GRAPH_ROUTE, GRAPH_BACKEND };

struct graph_node {
    const char *id; /* unique: kind and identity ("gateway shop/web") */
    enum graph_kind kind;
    const char *label;
    const char *source; /* "file:line:col", or NULL (not in the input) */
};

struct graph_edge {
    size_t from, to; /* node indexes */
    const char *label;
    bool rejected;
};

struct graph {
    struct graph_node *nodes;
    size_t n_nodes;
    struct graph_edge *edges;
    size_t n_edges;
};

void graph_build(struct compilation *c, const struct controller *ctl, struct graph *out);

void graph_write_dot(const struct graph *g, struct strbuf *out);
void graph_write_mermaid(const struct graph *g, struct strbuf *out);
void graph_write_json(const struct graph *g, struct strbuf *out);

#endif
