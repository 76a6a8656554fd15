// pulumi-language-nodejs runs Node.js Pulumi programs for the engine: it starts the
// program's own @pulumi/pulumi (cmd/run for programs, cmd/run-plugin for provider plugins)
// with the engine's addresses, the stack's config in PULUMI_CONFIG and the runtime options
// of Pulumi.yaml (typescript, tsconfig, nodeargs). See package langhost for why it is ours.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-openstack-s3-access/scripts/pulumi/langhost"
)

// The exit code of @pulumi/pulumi's cmd/run after it has shown the user the error itself.
const sdkReportedError = 32

type host struct {
	langhost.Base
}

func main() {
	langhost.Serve(func(engine string) pulumirpc.LanguageRuntimeServer { return &host{langhost.Base{Engine: engine}} })
}

// A program's resource plugins are named by its dependencies' package.json "pulumi" blocks.
func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := dependencies(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	packages := []*pulumirpc.PackageDependency{}
	for _, dep := range deps {
		if p := langhost.PluginPackage(dep.Pulumi, strings.TrimPrefix(dep.Name, "@pulumi/"), dep.Version); p != nil {
			packages = append(packages, p)
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	run, err := resolve(dir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args, env, err := nodeOptions(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args = append(args, run)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.Engine)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, req.GetInfo().GetEntryPoint())
	args = append(args, req.GetArgs()...)

	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Env = append(append(os.Environ(), config...), env...)
	// Node may switch its stdio to non-blocking mode; wrapped writers keep ours blocking.
	cmd.Stdout, cmd.Stderr = struct{ *os.File }{os.Stdout}, struct{ *os.File }{os.Stderr}
	code, err := h.Children.Run(cmd)
	return langhost.ExitResponse(code, err, sdkReportedError), nil
}

// A provider plugin written in Node.js (PulumiPlugin.yaml, runtime nodejs): cmd/run-plugin
// loads the folder's main module, which calls @pulumi/pulumi/provider's main().
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	dir := req.GetInfo().GetProgramDirectory()
	runPlugin, err := resolve(dir, "@pulumi/pulumi/cmd/run-plugin")
	if err != nil {
		return err
	}
	args, env, err := nodeOptions(req.GetInfo())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(server.Context(), "node", append(append(args, runPlugin, dir), req.GetArgs()...)...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(req.GetEnv(), env...)
	return h.Streams(cmd, closer, stdout, stderr, false)
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, false)
	if err != nil {
		return err
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	args := []string{"install", "--no-audit", "--no-fund"}
	if req.GetIsPlugin() {
		// A plugin folder is often an installed package (node_modules/<pkg>) or a checkout
		// whose dependencies are in place: installing there again would nest a second tree,
		// devDependencies and all, and write a lock file into the package.
		if _, err := resolve(dir, "@pulumi/pulumi/cmd/run-plugin"); err == nil {
			return closer.Close()
		}
		args = append(args, "--omit=dev")
	}
	cmd := exec.CommandContext(server.Context(), "npm", args...)
	cmd.Dir = dir
	return h.Streams(cmd, closer, stdout, stderr, true)
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	deps, err := dependencies(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	out := []*pulumirpc.DependencyInfo{}
	for _, dep := range deps {
		out = append(out, &pulumirpc.DependencyInfo{Name: dep.Name, Version: dep.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	version, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(version))}, nil
}

// GeneratePackage writes a Node.js SDK for a package (`pulumi package add`): a local one is
// TypeScript that its postinstall script compiles when npm installs it.
func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-nodejs", pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), loader)
	})
}

// GenerateProgram writes TypeScript for a PCL program: what `pulumi import` prints for the
// imported resources.
func (h *host) GenerateProgram(_ context.Context, req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	return langhost.GenerateProgram(req, codegen.GenerateProgram)
}

// Link adds generated SDKs to package.json as file: dependencies; the engine then calls
// InstallDependencies, whose npm install builds them.
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	linked, err := langhost.LinkedPackages(ctx, req, "nodejs", codegen.Importer)
	if err != nil {
		return nil, err
	}
	manager, err := npm.ResolvePackageManager(npm.NpmPackageManager, dir)
	if err != nil {
		return nil, err
	}
	var imports strings.Builder
	for _, l := range linked {
		name := nodePackageName(l.Pkg)
		if err := manager.Link(ctx, dir, name, l.Path); err != nil {
			return nil, err
		}
		fmt.Fprintf(&imports, "  import * as %s from %q;\n", cgstrings.Camel(l.Pkg.Name), name)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "You can import the SDK in your TypeScript code with:\n\n" + imports.String()}, nil
}

// nodePackageName is the npm name the Node.js code generator gives a package's SDK.
func nodePackageName(pkg *schema.Package) string {
	if info, ok := pkg.Language["nodejs"].(codegen.NodePackageInfo); ok && info.PackageName != "" {
		return info.PackageName
	}
	if pkg.Namespace != "" {
		return "@" + pkg.Namespace + "/" + pkg.Name
	}
	return "@pulumi/" + pkg.Name
}

// nodeOptions turns Pulumi.yaml's runtime options into node arguments and SDK environment.
func nodeOptions(info *pulumirpc.ProgramInfo) ([]string, []string, error) {
	var env []string
	if ts, ok := langhost.Option(info, "typescript"); ok && ts == "true" {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := langhost.Option(info, "tsconfig"); ok {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	nodeargs, _ := langhost.Option(info, "nodeargs")
	args, err := shlex.Split(nodeargs)
	if err != nil {
		return nil, nil, fmt.Errorf("runtime option nodeargs: %w", err)
	}
	return args, env, nil
}

// resolve finds an SDK entry point as the program itself would require it.
func resolve(dir, module string) (string, error) {
	out, err := exec.Command("node", "-e", "process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))", module, dir).Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s: install the program's dependencies there (npm install), with @pulumi/pulumi among them", module, dir)
	}
	return string(out), nil
}

type installed struct {
	Name    string                   `json:"name"`
	Version string                   `json:"version"`
	Pulumi  *plugin.PulumiPluginJSON `json:"pulumi"`
}

// dependencies are the program's direct dependencies as installed beside the nearest
// package.json at or above its folder (Pulumi.yaml's main may name a subfolder).
func dependencies(dir string) ([]installed, error) {
	for !exists(filepath.Join(dir, "package.json")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
	var manifest struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &manifest); err != nil {
		return nil, err
	}
	names := []string{}
	for name := range manifest.Dependencies {
		names = append(names, name)
	}
	for name := range manifest.DevDependencies {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []installed
	for _, name := range names {
		var dep installed
		if err := readJSON(filepath.Join(dir, "node_modules", name, "package.json"), &dep); err != nil {
			continue // not installed: the program's require() will say so
		}
		out = append(out, dep)
	}
	return out, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func readJSON(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, into)
}
