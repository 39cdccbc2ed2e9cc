/*
 * modcert.c — the front door: `modcert <command> [args]`. Only argument
 * dispatch lives here; every command is implemented by its lens library.
 */
#include <stdio.h>
#include <string.h>

#include "mc_common.h"

int mc_cmd_version(int argc, char **argv);

#define MC_COMMAND(name, entry, summary) int entry(int argc, char **argv);
#include "commands.h"
#undef MC_COMMAND

struct command {
    const char *name;
    int (*entry)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
#define MC_COMMAND(name, entry, summary) {#name, entry, summary},
#include "commands.h"
#undef MC_COMMAND
};

int mc_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("modcert %s\n", MODCERT_VERSION);
    return MC_EXIT_OK;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: modcert <command> [options]\n\n"
                 "Certifies Apache httpd 2.4 modules as thread-safe.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < MC_ARRAY_LEN(commands); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`modcert <command> --help` describes a command's options.\n"
                 "exit status: 0 ok, 1 findings or not certified, "
                 "2 could not complete\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return MC_EXIT_INCOMPLETE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return MC_EXIT_OK;
    }
    if (!strcmp(cmd, "--version"))
        cmd = "version";
    for (size_t i = 0; i < MC_ARRAY_LEN(commands); i++) {
        if (!strcmp(commands[i].name, cmd))
            return commands[i].entry(argc - 1, argv + 1);
    }
    mc_error(NULL, "unknown command '%s' (see `modcert --help`)", cmd);
    return MC_EXIT_INCOMPLETE;
}
