// A stand-in for `pulumi-language-nodejs`, the Node.js language host the engine starts to
// run a program. The Go module proxy refuses the real one
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3: "This module version
// is not available", for its release commit and for every other version), so the engine
// tests run `pulumi` itself with this host in its place. It does what the real host's Run
// does (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, constructArguments, constructConfig
// and execRuntime): start `node <program's @pulumi/pulumi>/cmd/run` with the same flags
// and environment, in the same folder, and report its exit the same way. What it leaves
// out: the monitor proxy and the synchronous-invoke pipes (the program talks to the
// engine's monitor directly), TypeScript options, plugin discovery in node_modules (this
// project's packages ship no Pulumi plugin), `pulumi new`, `pulumi convert` and packing.
//
// Started by the engine as `pulumi-language-nodejs [flags] <engine address>`: it prints its
// port on the first line of stdout and serves until the engine kills it.
import * as grpc from "@grpc/grpc-js";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import { spawn } from "child_process";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

/** The real host's exit code for "the program already printed an actionable message". */
const EXIT_ALREADY_REPORTED = 32;

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Done<Res> = grpc.sendUnaryData<Res>;

let engineAddress = process.argv[process.argv.length - 1] ?? "";

/** `ns:key` becomes `ns:config:key`, as the real host's constructConfig writes it for older SDKs. */
function configJson(req: langproto.RunRequest): string {
    const out: Record<string, string> = {};
    req.getConfigMap().forEach((value, key) => {
        const colon = key.indexOf(":");
        out[colon < 0 ? key : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
    });
    return JSON.stringify(out);
}

/** The flags of the real host's constructArguments, in its order. */
function runArguments(req: langproto.RunRequest, runPath: string): string[] {
    const info = req.getInfo();
    const args = [runPath];
    const add = (flag: string, value: string | undefined): void => {
        if (value) args.push(`--${flag}`, value);
    };
    add("monitor", req.getMonitorAddress());
    add("engine", engineAddress);
    add("organization", req.getOrganization());
    add("project", req.getProject());
    add("root-directory", info?.getRootDirectory());
    add("stack", req.getStack());
    add("pwd", info?.getProgramDirectory() ?? req.getPwd());
    if (req.getDryrun()) args.push("--dry-run");
    add("parallel", String(req.getParallel()));
    args.push(info?.getEntryPoint() || req.getProgram() || ".");
    args.push(...req.getArgsList());
    return args;
}

function run(call: Call<langproto.RunRequest>, done: Done<langproto.RunResponse>): void {
    const req = call.request;
    const programDir = req.getInfo()?.getProgramDirectory() || req.getPwd();
    const answer = new langproto.RunResponse();
    let runPath: string;
    try {
        // The program's own SDK, as the real host's locateModule finds it.
        runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDir] });
    } catch (e) {
        answer.setError(`It looks like the Pulumi SDK has not been installed. Have you run npm install or yarn install? (${(e as Error).message})`);
        return done(null, answer);
    }
    const child = spawn(process.execPath, runArguments(req, runPath), {
        cwd: programDir,
        env: { ...process.env, PULUMI_CONFIG: configJson(req), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()) },
        stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", (e) => {
        answer.setError(`Problem executing program (could not run language executor): ${e.message}`);
        done(null, answer);
    });
    child.on("exit", (code, signal) => {
        if (code === EXIT_ALREADY_REPORTED) answer.setBail(true);
        else if (code !== 0) answer.setError(signal ? `Program exited with signal ${signal}` : `Program exited with non-zero exit code: ${code}`);
        done(null, answer);
    });
}

const unimplemented = (_call: unknown, done: Done<unknown>): void => done({ code: grpc.status.UNIMPLEMENTED, details: "not in the test language host" } as grpc.ServiceError);

function main(): void {
    const server = new grpc.Server();
    const impl: Record<string, unknown> = {};
    for (const name of Object.keys(langrpc.LanguageRuntimeService)) impl[name] = unimplemented;
    Object.assign(impl, {
        handshake(call: Call<langproto.LanguageHandshakeRequest>, done: Done<langproto.LanguageHandshakeResponse>) {
            engineAddress = call.request.getEngineAddress() || engineAddress;
            done(null, new langproto.LanguageHandshakeResponse());
        },
        getPluginInfo(_call: Call<Empty>, done: Done<pluginproto.PluginInfo>) {
            const info = new pluginproto.PluginInfo();
            // The SDK this host runs with: what the real host reports is its own build's version.
            info.setVersion((require("@pulumi/pulumi/package.json") as { version: string }).version);
            done(null, info);
        },
        getRequiredPlugins(_call: unknown, done: Done<langproto.GetRequiredPluginsResponse>) {
            done(null, new langproto.GetRequiredPluginsResponse());
        },
        getRequiredPackages(_call: unknown, done: Done<langproto.GetRequiredPackagesResponse>) {
            done(null, new langproto.GetRequiredPackagesResponse());
        },
        getProgramDependencies(_call: unknown, done: Done<langproto.GetProgramDependenciesResponse>) {
            done(null, new langproto.GetProgramDependenciesResponse());
        },
        about(_call: unknown, done: Done<langproto.AboutResponse>) {
            const about = new langproto.AboutResponse();
            about.setExecutable(process.execPath);
            about.setVersion(process.version);
            done(null, about);
        },
        run,
    });
    server.addService(langrpc.LanguageRuntimeService, impl as unknown as grpc.UntypedServiceImplementation);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            process.stderr.write(`${path.basename(__filename)}: ${err.message}\n`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });
}

main();
