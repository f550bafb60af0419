/*
 * Baseline for the benchmark: libyaml's event parser over the same files,
 * doing nothing with the events.  gwc check cannot be faster than this.
 *
 * usage: parse_only FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    unsigned long events = 0;
    int i;

    for (i = 1; i < argc; i++) {
        yaml_parser_t p;
        FILE *f = fopen(argv[i], "rb");
        char *buf;
        long len;
        int done = 0;

        if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
            perror(argv[i]);
            return 2;
        }
        rewind(f);
        buf = malloc((size_t)len + 1);
        if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
            perror(argv[i]);
            return 2;
        }
        fclose(f);
        yaml_parser_initialize(&p);
        yaml_parser_set_input_string(&p, (unsigned char *)buf, (size_t)len);
        while (!done) {
            yaml_event_t e;
            if (!yaml_parser_parse(&p, &e)) {
                fprintf(stderr, "%s: %s\n", argv[i], p.problem);
                return 1;
            }
            done = e.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&e);
            events++;
        }
        yaml_parser_delete(&p);
        free(buf);
    }
    printf("%lu events\n", events);
    return 0;
}
