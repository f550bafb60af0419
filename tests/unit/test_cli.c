/*
 * Unit tests: the option table and everything rendered from it.  Every
 * option must appear in the help of each command it applies to, in the
 * man page, in the bash completion and in the README; every gwc.yaml key
 * in the man page and the README.  GWC_SOURCE_ROOT names the checkout.
 */
#include "unit.h"

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "cli/cli_internal.h"

#include <stdio.h>
#include <string.h>

static struct arena *arena;

static const char *source_file(const char *rel)
{
    const char *root = getenv("GWC_SOURCE_ROOT");
    char *path, *data;
    size_t len;

    ck_assert_msg(root != NULL, "GWC_SOURCE_ROOT is not set");
    path = arena_printf(arena, "%s/%s", root, rel);
    ck_assert_msg(fs_read(arena, path, 1 << 22, &data, &len) == FS_OK,
                  "cannot read %s", path);
    return data;
}

static char *help_of(const char *topic)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert(f != NULL);
    if (topic)
        ck_assert(cli_help(f, topic));
    else
        cli_usage(f);
    fclose(f);
    return buf;
}

/* The text shows --name; roff writes each of its hyphens as \-. */
static bool shows_option(const char *text, const char *name, bool roff)
{
    struct strbuf want = STRBUF_INIT;
    const char *p = text;
    bool found = false;

    strbuf_addstr(&want, roff ? "\\-\\-" : "--");
    for (; *name; name++) {
        if (roff && *name == '-')
            strbuf_addch(&want, '\\');
        strbuf_addch(&want, *name);
    }
    while (!found && (p = strstr(p, want.buf)) != NULL) {
        const char *next = p + want.len;
        /* --strict must not be found only as the start of --strict-refs. */
        found = !(*next == '-' || (next[0] == '\\' && next[1] == '-') ||
                  (*next >= 'a' && *next <= 'z'));
        p++;
    }
    strbuf_release(&want);
    return found;
}

static char *man_page(void)
{
    struct strbuf sb = STRBUF_INIT;
    char *out;

    ck_assert(cli_render_man(source_file("docs/gwc.1.in"), &sb));
    out = arena_strdup(arena, sb.buf);
    strbuf_release(&sb);
    return out;
}

static void setup(void)
{
    arena = arena_create(1 << 16);
}

static void teardown(void)
{
    arena_destroy(arena);
}

START_TEST(every_option_in_the_help_of_its_commands)
{
    size_t i, j;

    for (i = 0; i < cli_n_options; i++) {
        const struct cli_option *opt = &cli_options[i];
        for (j = 0; j < cli_n_commands; j++) {
            char *help;
            if (!(opt->commands & CLI_FOR(cli_commands[j].cmd)))
                continue;
            help = help_of(cli_commands[j].name);
            ck_assert_msg(shows_option(help, opt->name, false),
                          "gwc help %s does not show --%s", cli_commands[j].name,
                          opt->name);
            if (opt->arg)
                ck_assert_msg(strstr(help, opt->arg) != NULL,
                              "gwc help %s does not show %s", cli_commands[j].name,
                              opt->arg);
            free(help);
        }
    }
}
END_TEST

START_TEST(help_shows_no_option_a_command_refuses)
{
    size_t i, j;

    for (j = 0; j < cli_n_commands; j++) {
        char *help = help_of(cli_commands[j].name);
        for (i = 0; i < cli_n_options; i++) {
            bool exists;
            const struct cli_option *opt = &cli_options[i];
            if (cli_option_find(opt->name, strlen(opt->name), cli_commands[j].cmd, &exists))
                continue;
            ck_assert_msg(!shows_option(help, opt->name, false),
                          "gwc help %s shows --%s, which it refuses",
                          cli_commands[j].name, opt->name);
        }
        free(help);
    }
}
END_TEST

START_TEST(every_command_in_the_usage)
{
    char *usage = help_of(NULL);
    size_t i;

    for (i = 0; i < cli_n_commands; i++)
        ck_assert_msg(strstr(usage, cli_commands[i].summary) != NULL,
                      "gwc help does not list %s", cli_commands[i].name);
    for (i = 0; i < cli_n_exit_statuses; i++) {
        char want[8];
        snprintf(want, sizeof(want), "  %d  ", cli_exit_statuses[i].status);
        ck_assert_msg(strstr(usage, want) != NULL, "exit status %d is not listed",
                      cli_exit_statuses[i].status);
    }
    free(usage);
}
END_TEST

START_TEST(every_option_and_key_in_the_man_page)
{
    const char *man = man_page();
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        ck_assert_msg(shows_option(man, cli_options[i].name, true),
                      "the man page does not show --%s", cli_options[i].name);
        if (cli_options[i].setting) {
            char want[96];
            snprintf(want, sizeof(want), "\\fB%s\\fR: ", cli_options[i].setting);
            ck_assert_msg(strstr(man, want) != NULL,
                          "the man page does not describe gwc.yaml's %s",
                          cli_options[i].setting);
        }
    }
    for (i = 0; i < cli_n_commands; i++) {
        char want[64];
        snprintf(want, sizeof(want), ".SS \"gwc %s", cli_commands[i].name);
        ck_assert_msg(strstr(man, want) != NULL, "the man page misses %s",
                      cli_commands[i].name);
    }
    for (i = 0; i < cli_n_exit_statuses; i++) {
        char want[32];
        snprintf(want, sizeof(want), ".TP\n\\fB%d\\fR\n", cli_exit_statuses[i].status);
        ck_assert_msg(strstr(man, want) != NULL, "the man page misses exit status %d",
                      cli_exit_statuses[i].status);
    }
}
END_TEST

START_TEST(man_template_directives_are_known)
{
    struct strbuf sb = STRBUF_INIT;

    ck_assert(!cli_render_man("@NO_SUCH_TABLE@\n", &sb));
    strbuf_release(&sb);
}
END_TEST

START_TEST(every_option_and_key_in_the_readme)
{
    const char *readme = source_file("README.md");
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        ck_assert_msg(shows_option(readme, cli_options[i].name, false),
                      "README.md does not mention --%s", cli_options[i].name);
        if (cli_options[i].setting) {
            char want[96];
            snprintf(want, sizeof(want), "\n%s:", cli_options[i].setting);
            ck_assert_msg(strstr(readme, want) != NULL,
                          "README.md's gwc.yaml example lacks %s", cli_options[i].setting);
        }
    }
    for (i = 0; i < cli_n_commands; i++)
        ck_assert_msg(strstr(readme, cli_commands[i].name) != NULL,
                      "README.md does not mention gwc %s", cli_commands[i].name);
}
END_TEST

START_TEST(every_option_in_the_completion)
{
    struct strbuf sb = STRBUF_INIT;
    size_t i;

    cli_render_completion(&sb);
    for (i = 0; i < cli_n_options; i++)
        ck_assert_msg(shows_option(sb.buf, cli_options[i].name, false),
                      "the completion does not offer --%s", cli_options[i].name);
    strbuf_release(&sb);
}
END_TEST

/* One name, one meaning per command: the parser takes the first match. */
START_TEST(names_and_keys_are_unambiguous)
{
    size_t i, j;

    for (i = 0; i < cli_n_options; i++) {
        for (j = 0; j < i; j++) {
            const struct cli_option *a = &cli_options[i], *b = &cli_options[j];
            bool shared = (a->commands & b->commands) != 0;
            ck_assert_msg(!(shared && strcmp(a->name, b->name) == 0),
                          "--%s is listed twice for one command", a->name);
            ck_assert_msg(!(shared && a->short_name && a->short_name == b->short_name),
                          "-%c is listed twice for one command", a->short_name);
            ck_assert_msg(!(a->setting && b->setting && strcmp(a->setting, b->setting) == 0),
                          "gwc.yaml key %s is listed twice", a->setting);
        }
        ck_assert_msg(cli_options[i].help && *cli_options[i].help,
                      "--%s has no help", cli_options[i].name);
        ck_assert_msg(cli_options[i].commands != 0, "--%s is for no command",
                      cli_options[i].name);
    }
}
END_TEST

/* What the help promises the parser accepts, and the reverse. */
START_TEST(choices_are_what_the_parser_accepts)
{
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        const struct cli_option *opt = &cli_options[i];
        struct options o;
        const char *p = opt->choices;

        if (!p)
            continue;
        while (*p) {
            size_t len = strcspn(p, "|");
            char *v = arena_strndup(arena, p, len);
            memset(&o, 0, sizeof(o));
            ck_assert_msg(cli_option_apply(arena, &o, opt, v) == NULL,
                          "--%s refuses %s, one of its choices", opt->name, v);
            p += len + (p[len] == '|');
        }
        memset(&o, 0, sizeof(o));
        ck_assert_msg(cli_option_apply(arena, &o, opt, "no-such-value") != NULL,
                      "--%s accepts anything", opt->name);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("optable");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_option_in_the_help_of_its_commands);
    tcase_add_test(tc, help_shows_no_option_a_command_refuses);
    tcase_add_test(tc, every_command_in_the_usage);
    tcase_add_test(tc, every_option_and_key_in_the_man_page);
    tcase_add_test(tc, man_template_directives_are_known);
    tcase_add_test(tc, every_option_and_key_in_the_readme);
    tcase_add_test(tc, every_option_in_the_completion);
    tcase_add_test(tc, names_and_keys_are_unambiguous);
    tcase_add_test(tc, choices_are_what_the_parser_accepts);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
