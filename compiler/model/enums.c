/*
 * The name tables of the model's enum-valued fields (model.h), in the
 * order the CRDs list the values: schema/ prints them as the allowed list.
 */
#include "model.h"

const char *const model_path_type_names[PATH_MATCH_OTHER + 1] = {
    [PATH_MATCH_EXACT] = "Exact",
    [PATH_MATCH_PREFIX] = "PathPrefix",
    [PATH_MATCH_REGEX] = "RegularExpression",
};

const char *const model_match_type_names[MATCH_TYPE_OTHER + 1] = {
    [MATCH_EXACT] = "Exact",
    [MATCH_REGEX] = "RegularExpression",
};

const char *const model_modifier_type_names[MODIFIER_OTHER + 1] = {
    [MODIFIER_FULL_PATH] = "ReplaceFullPath",
    [MODIFIER_PREFIX_MATCH] = "ReplacePrefixMatch",
};

const char *const model_filter_type_names[FILTER_OTHER + 1] = {
    [FILTER_REQUEST_HEADER_MODIFIER] = "RequestHeaderModifier",
    [FILTER_RESPONSE_HEADER_MODIFIER] = "ResponseHeaderModifier",
    [FILTER_REQUEST_MIRROR] = "RequestMirror",
    [FILTER_REQUEST_REDIRECT] = "RequestRedirect",
    [FILTER_URL_REWRITE] = "URLRewrite",
    [FILTER_EXTENSION_REF] = "ExtensionRef",
    [FILTER_CORS] = "CORS",
    [FILTER_EXTERNAL_AUTH] = "ExternalAuth",
};

const char *const model_tls_mode_names[TLS_MODE_OTHER + 1] = {
    [TLS_TERMINATE] = "Terminate",
    [TLS_PASSTHROUGH] = "Passthrough",
};

const char *const model_frontend_mode_names[FRONTEND_MODE_OTHER + 1] = {
    [FRONTEND_ALLOW_VALID_ONLY] = "AllowValidOnly",
    [FRONTEND_ALLOW_INSECURE_FALLBACK] = "AllowInsecureFallback",
};

const char *const model_persistence_type_names[PERSISTENCE_OTHER + 1] = {
    [PERSISTENCE_COOKIE] = "Cookie",
    [PERSISTENCE_HEADER] = "Header",
};

const char *const model_cookie_lifetime_names[LIFETIME_OTHER + 1] = {
    [LIFETIME_PERMANENT] = "Permanent",
    [LIFETIME_SESSION] = "Session",
};

const char *const model_from_names[FROM_OTHER + 1] = {
    [FROM_ALL] = "All",
    [FROM_SELECTOR] = "Selector",
    [FROM_SAME] = "Same",
    [FROM_NONE] = "None",
};

/* The decoder stores every enum field as an int (decode.c). */
_Static_assert(sizeof(enum path_match_type) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum match_type) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum path_modifier_type) == sizeof(int),
               "enum stored as int");
_Static_assert(sizeof(enum route_filter_type) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum listener_tls_mode) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum frontend_mode) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum persistence_type) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum cookie_lifetime) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum namespaces_from_type) == sizeof(int),
               "enum stored as int");
