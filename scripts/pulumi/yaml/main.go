// pulumi-language-yaml is pulumi-yaml's language host (github.com/pulumi/pulumi-yaml/pkg/server,
// v1.25.0, the newest the Go module proxy serves) with the one RPC that release lacks: Link,
// which `pulumi package add` calls after GeneratePackage has written the package's lock file
// into sdks/. A YAML program has nothing to link (it names a package's resources by their type
// tokens, and the CLI records the package in Pulumi.yaml), so Link only tells the user so.
//
// This is a module of its own because pulumi-yaml pins an older pkg/v3 than the CLI's, which is
// also why it serves itself rather than through ../langhost (a module on the CLI's pkg/v3).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi-yaml/pkg/server"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

type host struct {
	pulumirpc.LanguageRuntimeServer
}

func (host) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	var tokens []string
	for _, dep := range req.GetPackages() {
		tokens = append(tokens, dep.GetPackage().GetName()+":<Resource>")
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "Name the package's resources in Pulumi.yaml by their type tokens: " + strings.Join(tokens, ", "),
	}, nil
}

func main() {
	tracing := flag.String("tracing", "", "a Zipkin-compatible endpoint to send tracing data to")
	flag.String("root", "", "ignored: the engine's ProgramInfo names the program's root")
	flag.String("compiler", "", "ignored: obsolete in pulumi-yaml")
	flag.Parse()
	engine := flag.Arg(0)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	if engine != "" {
		// The engine may die without telling us; the health check ends this process then.
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Minute, stop); err != nil {
			fail(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host{server.NewLanguageHost(engine, *tracing, false)})
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("could not start the language host's gRPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
