package langhost

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	rpcplugin "github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Generator turns a bound schema into an SDK's files (a pkg/v3/codegen/<language> GeneratePackage).
type Generator func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error)

// GeneratePackage answers the engine's GeneratePackage (`pulumi package add`, `package gen-sdk`):
// it binds the schema, with the engine's schema loader for the packages it refers to, and
// writes what generate makes of it into the requested folder. Schema errors go back as
// diagnostics, which the CLI prints with their place in the schema.
func GeneratePackage(req *pulumirpc.GeneratePackageRequest, generate Generator) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the package's schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	response := &pulumirpc.GeneratePackageResponse{Diagnostics: rpcplugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}
	files, err := generate(pkg, req, loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return response, nil
}

// Linked is a package `pulumi package add` links into a program: its schema, and the folder
// of its generated SDK relative to the program.
type Linked struct {
	Pkg  *schema.Package
	Path string
}

// LinkedPackages loads the schemas of the packages a LinkRequest names from the engine's
// loader, with the language's part of each schema (`language.<name>`) decoded by importer.
func LinkedPackages(ctx context.Context, req *pulumirpc.LinkRequest, language string, importer schema.Language) ([]Linked, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var out []Linked
	for _, dep := range req.GetPackages() {
		desc, err := descriptor(dep.GetPackage())
		if err != nil {
			return nil, err
		}
		ref, err := schema.LoadPackageReferenceV2(ctx, loader, desc)
		if err != nil {
			return nil, fmt.Errorf("could not load the schema of %s: %w", desc.Name, err)
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{language: importer}); err != nil {
			return nil, err
		}
		out = append(out, Linked{Pkg: pkg, Path: dep.GetPath()})
	}
	return out, nil
}

func descriptor(p *pulumirpc.PackageDependency) (*schema.PackageDescriptor, error) {
	version, err := optionalVersion(p.GetVersion())
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", p.GetName(), err)
	}
	desc := &schema.PackageDescriptor{Name: p.GetName(), Version: version, DownloadURL: p.GetServer()}
	if param := p.GetParameterization(); param != nil {
		pv, err := optionalVersion(param.GetVersion())
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", param.GetName(), err)
		}
		desc.Parameterization = &schema.ParameterizationDescriptor{Name: param.GetName(), Value: param.GetValue()}
		if pv != nil {
			desc.Parameterization.Version = *pv
		}
	}
	return desc, nil
}

func optionalVersion(s string) (*semver.Version, error) {
	if s == "" {
		return nil, nil
	}
	v, err := semver.ParseTolerant(s)
	if err != nil {
		return nil, fmt.Errorf("version %q: %w", s, err)
	}
	return &v, nil
}

// PluginPackage is the resource plugin an installed package names in its pulumi-plugin.json
// (or package.json "pulumi" block), or nil when it has none. The name and version default to
// the package's own.
func PluginPackage(p *plugin.PulumiPluginJSON, name, version string) *pulumirpc.PackageDependency {
	if p == nil || !p.Resource {
		return nil
	}
	if p.Name != "" {
		name = p.Name
	}
	if p.Version != "" {
		version = p.Version
	}
	if version == "" {
		return nil // no version the engine could look the plugin up by
	}
	dep := &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: "v" + strings.TrimPrefix(version, "v"), Server: p.Server}
	if param := p.Parameterization; param != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: param.Name, Version: param.Version, Value: param.Value}
	}
	return dep
}
