/*
 * commands.h — the registry of `modcert` subcommands (X-macro).
 *
 * MC_COMMAND(name, entry, summary): `modcert name ARGS...` calls
 * `int entry(int argc, char **argv)` with argv[0] == "name". The entry is
 * defined by the lens library that owns the command and returns the process
 * exit status (0 ok, 1 findings / not certified, 2 could not complete).
 * Add a line here when a lens grows a command; keep them in pipeline order.
 */
MC_COMMAND(version, mc_cmd_version, "print the tool version")
MC_COMMAND(load, mc_cmd_load, "drive checked HTTP load at a running server")
