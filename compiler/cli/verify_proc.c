/*
 * nginx for --verify-nginx: started in the foreground (its master is the
 * child gwc forked), leader of a process group of its own so that its
 * workers can be stopped with it and with nothing else, and stopped by
 * that PID whatever happens.
 */
#include "verify.h"

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* How long nginx may take to bind its listeners, and to stop gracefully. */
#define NGINX_START_MS 10000
#define NGINX_STOP_MS 5000
#define POLL_MS 20
/* What nginx said on stderr, at most, in a diagnostic. */
#define NGINX_STDERR_MAX 4096

static bool bindable(uint32_t port, int type)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, type, 0);
    bool ok;

    if (fd < 0)
        return false;
    cli_verify_loopback(&sin, port);
    ok = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
    close(fd);
    return ok;
}

/* Below the kernel's ephemeral range, which the stubs' and clients' own
 * ports come from: a port chosen there and released until nginx binds it
 * could be taken in between. */
static uint32_t ephemeral_low(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    unsigned low = 32768;

    if (f) {
        if (fscanf(f, "%u", &low) != 1)
            low = 32768;
        fclose(f);
    }
    return low;
}

uint32_t cli_verify_free_port(const struct port_map_entry *taken, size_t n)
{
    uint32_t low = 10000, high = ephemeral_low(), span, start, k;
    struct timespec now;

    if (high <= low + 1000)
        low = 1024;
    span = high > low ? high - low : 0;
    /* A varying start keeps parallel runs apart; any port found is
     * checked, so the start need not be random. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    start = span ? (uint32_t)(((unsigned long)now.tv_nsec ^ (unsigned long)getpid()) % span) : 0;
    for (k = 0; k < span; k++) {
        uint32_t port = low + (start + k) % span;
        size_t i;
        for (i = 0; i < n && taken[i].to != port; i++)
            ;
        if (i == n && bindable(port, SOCK_STREAM) && bindable(port, SOCK_DGRAM))
            return port;
    }
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* Has pid exited?  Leaves it unreaped, so that its PID (and process
 * group) cannot be reused while gwc still signals it. */
static bool exited(pid_t pid)
{
    siginfo_t info;

    memset(&info, 0, sizeof(info));
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

/* The global directives nginx gets with -g: stay in the foreground as the
 * master; as root, run the workers as gwc's user, since nobody cannot read
 * the private directory. */
static const char *global_directives(struct arena *a)
{
    const char *d = "daemon off; master_process on;";

    if (geteuid() == 0) {
        const struct passwd *pw = getpwuid(geteuid());
        const struct group *gr = getgrgid(getegid());
        if (pw && gr)
            d = arena_printf(a, "%s user %s %s;", d, pw->pw_name, gr->gr_name);
    }
    return d;
}

static _Noreturn void exec_nginx(const char *nginx, const char *dir, const char *globals,
                                 int err_fd)
{
    char conf[4096];
    const char *argv[] = {nginx, "-p", dir, "-c", conf, "-e", "stderr", "-g", globals, NULL};
    int null_fd = open("/dev/null", O_RDWR);

    snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
    setpgid(0, 0);
#ifdef __linux__
    /* Should gwc die without stopping it: nginx's own fast shutdown. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() == 1)
        _exit(127);
#endif
    if (null_fd >= 0)
        dup2(null_fd, 0);
    dup2(err_fd, 1);
    dup2(err_fd, 2);
    execv(nginx, (char *const *)argv);
    dprintf(2, "cannot run %s: %s\n", nginx, strerror(errno));
    _exit(127);
}

/* The pid file nginx writes after binding its listeners names the master. */
static bool pid_file_names(const char *dir, pid_t pid)
{
    char buf[32];
    char path[4096];
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/logs/nginx.pid", dir);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return strtol(buf, NULL, 10) == (long)pid;
}

static const char *stderr_text(struct arena *a, const char *path)
{
    char *data;
    size_t len;

    if (fs_read(a, path, 1u << 20, &data, &len) != FS_OK || len == 0)
        return "(nothing on stderr)";
    if (len > NGINX_STDERR_MAX)
        return arena_printf(a, "...%s", data + len - NGINX_STDERR_MAX);
    return data;
}

const char *cli_verify_nginx_start(struct arena *a, const char *nginx,
                                   const char *dir, struct verify_nginx *out)
{
    const char *err_path = arena_printf(a, "%s/logs/nginx.stderr", dir);
    const char *globals = global_directives(a);
    long waited;
    int err_fd;
    pid_t pid;

    out->pid = 0;
    out->dir = dir;
    err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (err_fd < 0)
        return arena_printf(a, "cannot create %s: %s", err_path, strerror(errno));
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(err_fd);
        return arena_printf(a, "cannot start %s: %s", nginx, strerror(e));
    }
    if (pid == 0)
        exec_nginx(nginx, dir, globals, err_fd);
    close(err_fd);
    /* Both sides set the group, so it exists before gwc may signal it. */
    setpgid(pid, pid);
    out->pid = pid;
    for (waited = 0; waited < NGINX_START_MS; waited += POLL_MS) {
        if (exited(pid)) {
            const char *why = arena_printf(a, "%s exited at start:\n%s", nginx,
                                           stderr_text(a, err_path));
            cli_verify_nginx_stop(out);
            return why;
        }
        if (pid_file_names(dir, pid))
            return NULL;
        sleep_ms(POLL_MS);
    }
    cli_verify_nginx_stop(out);
    return arena_printf(a, "%s did not start within %d seconds:\n%s", nginx,
                        NGINX_START_MS / 1000, stderr_text(a, err_path));
}

void cli_verify_nginx_stop(struct verify_nginx *n)
{
    long waited;

    if (n->pid <= 0)
        return;
    kill(n->pid, SIGQUIT);
    for (waited = 0; waited < NGINX_STOP_MS && !exited(n->pid); waited += POLL_MS)
        sleep_ms(POLL_MS);
    /* The master is exited or unreaped, so its group is still the one
     * gwc made: whatever is left of it (workers of a master that would not
     * stop) goes with it. */
    kill(-n->pid, SIGKILL);
    while (waitpid(n->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    n->pid = 0;
}
