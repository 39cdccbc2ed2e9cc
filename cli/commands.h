/*
 * commands.h — the registry of `modcert` subcommands (X-macro).
 *
 * MC_COMMAND(name, entry, summary): `modcert name ARGS...` calls
 * `int entry(int argc, char **argv)` with argv[0] == "name". The entry is
 * defined by the lens library that owns the command and returns the process
 * exit status (0 ok, 1 findings / not certified, 2 could not complete).
 * Add a line here when a lens grows a command; keep them in pipeline order.
 *
 * One entry per line (clang-format off): a registry reads best as a table.
 */
// clang-format off
MC_COMMAND(scan, mc_cmd_scan, "static thread-safety analysis of module sources")
MC_COMMAND(audit, mc_cmd_audit, "binary audit of a module .so (ELF: MT-unsafe imports, libraries, writable data)")
MC_COMMAND(load, mc_cmd_load, "drive checked HTTP load at a running server")
MC_COMMAND(stress, mc_cmd_stress, "serve a module in the stub under load and a race detector; dynamic findings")
MC_COMMAND(repro, mc_cmd_repro, "replay a stress finding from its report and count the runs that reproduce it")
MC_COMMAND(report, mc_cmd_report, "merge lens outputs into a report, or re-render one (json|sarif|md|html|text)")
MC_COMMAND(certify, mc_cmd_certify, "run every lens on a module and decide: report, verdict, signed certificate")
MC_COMMAND(keygen, mc_cmd_keygen, "create an Ed25519 key pair for signing certificates")
MC_COMMAND(verify, mc_cmd_verify, "check a signed certificate against a module .so and a public key")
MC_COMMAND(version, mc_cmd_version, "print the tool version")
// clang-format on
