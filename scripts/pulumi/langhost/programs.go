package langhost

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	rpcplugin "github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// ProgramGenerator turns a bound PCL program into a program's source files (a
// pkg/v3/codegen/<language> GenerateProgram).
type ProgramGenerator func(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error)

// GenerateProgram answers the engine's GenerateProgram: `pulumi import` sends the PCL of the
// resources it imported and prints what comes back as the code to paste into the program. The
// PCL is bound with the engine's schema loader (the packages' schemas come from their plugins);
// parse, bind and generation diagnostics go back for the CLI to print.
func GenerateProgram(req *pulumirpc.GenerateProgramRequest, generate ProgramGenerator) (*pulumirpc.GenerateProgramResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()

	// Files in name order, so that the diagnostics come in the same order every time.
	names := make([]string, 0, len(req.GetSource()))
	for name := range req.GetSource() {
		names = append(names, name)
	}
	sort.Strings(names)
	parser := syntax.NewParser()
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.GetSource()[name]), name); err != nil {
			return nil, err
		}
	}
	diags := parser.Diagnostics
	if diags.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: rpcplugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}

	opts := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		// Import asks for lenient binding: its PCL may name a parent or provider resource that
		// is not in the program.
		opts = append(opts, pcl.NonStrictBindOptions()...)
	}
	program, bindDiags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(client), opts...)
	diags = append(diags, bindDiags...)
	if diags.HasErrors() {
		// BindProgram's error is then its diagnostics, which the CLI prints with their place.
		return &pulumirpc.GenerateProgramResponse{Diagnostics: rpcplugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	if err != nil {
		return nil, err
	}
	if program == nil {
		return nil, fmt.Errorf("binding the program gave neither a program nor errors")
	}

	files, genDiags, err := generate(program)
	if err != nil {
		return nil, err
	}
	diags = append(diags, genDiags...)
	return &pulumirpc.GenerateProgramResponse{Source: files, Diagnostics: rpcplugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}
