// pulumi-language-go runs Go Pulumi programs for the engine: it builds the program with the
// go client (go build, into a temporary folder) and runs the binary with what sdk/v3/go/pulumi
// reads from its environment: PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT, PULUMI_STACK,
// PULUMI_CONFIG, ... See package langhost for why the host is ours.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/constant"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"

	"pulumi-openstack-s3-access/scripts/pulumi/langhost"
)

type host struct {
	langhost.Base
}

func main() {
	langhost.Serve(func(engine string) pulumirpc.LanguageRuntimeServer { return &host{langhost.Base{Engine: engine}} })
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	program, cleanup, err := h.build(ctx, req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	defer cleanup()

	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env := append(os.Environ(), config...)
	set := func(name, value string) {
		if value != "" {
			env = append(env, name+"="+value)
		}
	}
	set(pulumi.EnvOrganization, req.GetOrganization())
	set(pulumi.EnvProject, req.GetProject())
	set(pulumi.EnvPulumiRootDirectory, req.GetInfo().GetRootDirectory())
	set(pulumi.EnvStack, req.GetStack())
	set(pulumi.EnvDryRun, strconv.FormatBool(req.GetDryRun()))
	set(pulumi.EnvParallel, strconv.Itoa(int(req.GetParallel())))
	set(pulumi.EnvMonitor, req.GetMonitorAddress())
	set(pulumi.EnvEngine, h.Engine)

	cmd := exec.CommandContext(ctx, program, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	code, err := h.Children.Run(cmd)
	return langhost.ExitResponse(code, err, constant.ExitStatusLoggedError), nil
}

// build compiles the program: Pulumi.yaml's runtime option binary names one built already.
func (h *host) build(ctx context.Context, info *pulumirpc.ProgramInfo) (string, func(), error) {
	if binary, ok := langhost.Option(info, "binary"); ok {
		if !filepath.IsAbs(binary) {
			binary = filepath.Join(info.GetRootDirectory(), binary)
		}
		return binary, func() {}, nil
	}
	out, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(out) }
	program := filepath.Join(out, "program")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", program, ".")
	cmd.Dir = info.GetProgramDirectory()
	// The build's messages are the user's compile errors: they go where the program's output goes.
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	code, err := h.Children.Run(cmd)
	if err == nil && code != 0 {
		err = fmt.Errorf("go build in %s exited with code %d (its errors are above)", cmd.Dir, code)
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return program, cleanup, nil
}

// InstallDependencies (`pulumi install`, and after `pulumi package add`): go mod tidy.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(server.Context(), "go", "mod", "tidy")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	return h.Streams(cmd, closer, stdout, stderr, true)
}

func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	gomod, err := readGoMod(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	out := []*pulumirpc.DependencyInfo{}
	for _, r := range gomod.Require {
		if req.GetTransitiveDependencies() || !r.Indirect {
			out = append(out, &pulumirpc.DependencyInfo{Name: r.Mod.Path, Version: r.Mod.Version})
		}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, err
	}
	version, err := exec.CommandContext(ctx, gobin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: gobin, Version: strings.TrimSpace(string(version))}, nil
}

// GeneratePackage writes a Go SDK for a package (`pulumi package add`): a module of its own
// that Link points the program's go.mod at.
func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	if len(req.GetExtraFiles()) > 0 {
		return nil, fmt.Errorf("the Go SDK generator takes no overlay files")
	}
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, _ schema.ReferenceLoader) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	})
}

// GenerateProgram writes Go code for a PCL program: what `pulumi import` prints for the
// imported resources.
func (h *host) GenerateProgram(_ context.Context, req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	return langhost.GenerateProgram(req, codegen.GenerateProgram)
}

// Link adds a replace directive to the program's go.mod for each generated SDK's module; the
// engine then calls InstallDependencies, whose go mod tidy requires it.
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	gomod, err := readGoMod(dir)
	if err != nil {
		return nil, err
	}
	linked, err := langhost.LinkedPackages(ctx, req, "go", codegen.Importer)
	if err != nil {
		return nil, err
	}
	var imports strings.Builder
	for _, l := range linked {
		module := codegen.ExtractModulePath(l.Pkg.Reference())
		if info, ok := l.Pkg.Language["go"].(codegen.GoPackageInfo); ok && info.ModulePath != "" {
			module = info.ModulePath
		}
		// A replace directive's folder must start with ./ to be read as one.
		path := l.Path
		if !strings.HasPrefix(path, "./") && !strings.HasPrefix(path, "../") {
			path = "./" + path
		}
		if err := gomod.AddReplace(module, "", path, ""); err != nil {
			return nil, err
		}
		fmt.Fprintf(&imports, "  import %q\n", codegen.ExtractImportBasePath(l.Pkg.Reference()))
	}
	data, err := gomod.Format()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), data, 0o644); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "You can import the SDK in your Go code with:\n\n" + imports.String()}, nil
}

func readGoMod(dir string) (*modfile.File, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("a Go program needs a go.mod beside its Pulumi.yaml: %w", err)
	}
	return modfile.Parse(path, data, nil)
}
