// pulumi-language-python runs Python Pulumi programs for the engine: it starts the
// pulumi-language-python-exec script of sdk/v3 (install.sh puts it beside this binary) with the
// program's Python, in the virtualenv Pulumi.yaml names (runtime.options.virtualenv), with the
// engine's addresses as arguments and the stack's config in PULUMI_CONFIG. Virtual
// environments, pip and requirements.txt are sdk/v3's python/toolchain package. See package
// langhost for why the host is ours.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blang/semver"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"

	"pulumi-openstack-s3-access/scripts/pulumi/langhost"
)

// The exit code of pulumi-language-python-exec after it has shown the user the error itself.
const sdkReportedError = 32

// The SDK's entry point, beside this binary.
const execScript = "pulumi-language-python-exec"

//go:embed plugins.py
var pluginsScript string

type host struct {
	langhost.Base
}

func main() {
	langhost.Serve(func(engine string) pulumirpc.LanguageRuntimeServer { return &host{langhost.Base{Engine: engine}} })
}

// options reads Pulumi.yaml's runtime options: virtualenv (relative to the project's root) and
// toolchain (pip, poetry or uv; by default the one whose lock file the program has, else pip).
func options(info *pulumirpc.ProgramInfo) (toolchain.PythonOptions, error) {
	opts := toolchain.PythonOptions{Root: info.GetRootDirectory(), ProgramDir: info.GetProgramDirectory()}
	opts.Virtualenv, _ = langhost.Option(info, "virtualenv")
	name, _ := langhost.Option(info, "toolchain")
	switch name {
	case "":
		opts.Toolchain = toolchain.Auto
	case "pip":
		opts.Toolchain = toolchain.Pip
	case "poetry":
		opts.Toolchain = toolchain.Poetry
	case "uv":
		opts.Toolchain = toolchain.Uv
	default:
		return opts, fmt.Errorf("Pulumi.yaml runtime option toolchain: %q is not one of pip, poetry, uv", name)
	}
	if name, ok := langhost.Option(info, "typechecker"); ok {
		return opts, fmt.Errorf("Pulumi.yaml runtime option typechecker (%s): this repository's Python host does not run type checkers; remove the option", name)
	}
	return opts, nil
}

func resolve(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, toolchain.PythonOptions, error) {
	opts, err := options(info)
	if err != nil {
		return nil, opts, err
	}
	tc, err := toolchain.ResolveToolchain(opts)
	return tc, opts, err
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	tc, _, err := resolve(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{filepath.Join(filepath.Dir(self), execScript)}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.Engine)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root_directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	flag("dry_run", strconv.FormatBool(req.GetDryRun()))
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, req.GetInfo().GetEntryPoint())
	args = append(args, req.GetArgs()...)

	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, config...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	code, err := h.Children.Run(cmd)
	return langhost.ExitResponse(code, err, sdkReportedError), nil
}

// InstallDependencies (`pulumi install`, and after `pulumi package add`): the toolchain's
// install, for pip a virtualenv (when the option names one) and pip install -r requirements.txt.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	tc, _, err := resolve(req.GetInfo())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	if err := tc.InstallDependencies(server.Context(), req.GetInfo().GetProgramDirectory(), req.GetUseLanguageVersionTools(), true, stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}

// GetRequiredPackages names the resource plugins of the program's installed packages: those
// whose pulumi-plugin.json says so (the file every generated SDK ships).
func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	tc, _, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-c", pluginsScript)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("could not list the program's Python packages with %s: %w", cmd.Path, err)
	}
	var installed []struct {
		Name    string                   `json:"name"`
		Version string                   `json:"version"`
		Plugin  *plugin.PulumiPluginJSON `json:"plugin"`
	}
	if err := json.Unmarshal(out, &installed); err != nil {
		return nil, err
	}
	packages := []*pulumirpc.PackageDependency{}
	for _, p := range installed {
		if p.Plugin == nil {
			continue
		}
		// pulumi_foo_bar (or pulumi-foo-bar) is the SDK of plugin foo-bar, unless its file names one.
		name := strings.TrimPrefix(strings.ReplaceAll(p.Name, "_", "-"), "pulumi-")
		if dep := langhost.PluginPackage(p.Plugin, name, pluginVersion(p.Version)); dep != nil {
			packages = append(packages, dep)
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// pluginVersion is a package's version as a plugin's, when it is a plain release (1.2.3).
func pluginVersion(pep440 string) string {
	if v, err := semver.ParseTolerant(pep440); err == nil && len(v.Pre) == 0 {
		return v.String()
	}
	return ""
}

func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, _, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	listed, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	out := []*pulumirpc.DependencyInfo{}
	for _, dep := range listed {
		out = append(out, &pulumirpc.DependencyInfo{Name: dep.Name, Version: dep.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	opts := toolchain.PythonOptions{Toolchain: toolchain.Pip}
	if req.GetInfo() != nil {
		var err error
		if opts, err = options(req.GetInfo()); err != nil {
			return nil, err
		}
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: info.PythonExecutable,
		Version:    info.PythonVersion.String(),
		Metadata:   map[string]string{"toolchain": toolchain.Name(opts.Toolchain), "toolchainVersion": info.ToolchainVersion.String()},
	}, nil
}

// GeneratePackage writes a Python SDK for a package (`pulumi package add`): a pyproject.toml
// project that pip installs from its folder.
func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	})
}

// GenerateProgram writes Python code for a PCL program: what `pulumi import` prints for the
// imported resources.
func (h *host) GenerateProgram(_ context.Context, req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	return langhost.GenerateProgram(req, codegen.GenerateProgram)
}

// Link adds generated SDKs to the program's requirements (requirements.txt for pip) by their
// folders; the engine then calls InstallDependencies, which installs them.
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	tc, _, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	linked, err := langhost.LinkedPackages(ctx, req, "python", codegen.Importer)
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	var imports strings.Builder
	for _, l := range linked {
		module := codegen.PyPack(l.Pkg.Namespace, l.Pkg.Name)
		if info, ok := l.Pkg.Language["python"].(codegen.PackageInfo); ok && info.PackageName != "" {
			module = info.PackageName
		}
		paths[module] = l.Path
		fmt.Fprintf(&imports, "  import %s\n", module)
	}
	if err := tc.LinkPackages(ctx, paths); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "You can import the SDK in your Python code with:\n\n" + imports.String()}, nil
}
