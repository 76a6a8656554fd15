// Package langhost is what this repository's Pulumi language hosts share.
//
// The Go module proxy these machines reach serves the Pulumi CLI (pkg/v3) and SDK (sdk/v3) but
// not upstream's language-host modules, so the hosts the CLI starts for Node.js, Python and Go
// programs are small programs of our own over sdk/v3's gRPC types. They speak the engine's
// LanguageRuntime protocol and start the same SDK entry points upstream's hosts start; the
// engine, the SDKs and the providers are the real ones.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Version is the Pulumi release these hosts are built with (set by install.sh's -ldflags).
var Version = "3.276.0"

// Serve runs a language host as the engine starts one: the engine's address is the last
// argument (flags such as -tracing may come first), and the chosen port goes to stdout.
func Serve(newHost func(engineAddress string) pulumirpc.LanguageRuntimeServer) {
	if len(os.Args) > 1 && (os.Args[1] == "-version" || os.Args[1] == "--version") {
		fmt.Println(Version)
		return
	}
	engine := ""
	if args := positional(os.Args[1:]); len(args) > 0 {
		engine = args[len(args)-1]
	}
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
			pulumirpc.RegisterLanguageRuntimeServer(srv, newHost(engine))
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

// positional drops "-flag value" and "-flag=value" pairs the engine may pass before the address.
func positional(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if !strings.Contains(a, "=") && i+1 < len(args) {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

// Base is what every host answers alike; a host embeds it and adds its language's calls.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	Children
	// Engine is the engine's address, for the SDKs to log and report through.
	Engine string
}

func (b *Base) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// Cancel interrupts the running program: the engine calls it when the user presses Ctrl-C.
func (b *Base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	b.Interrupt()
	return &emptypb.Empty{}, nil
}

func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// Children tracks the processes a host started, so that the engine's Cancel reaches them.
type Children struct {
	mu   sync.Mutex
	live map[*exec.Cmd]struct{}
}

// Run starts cmd and waits for it; Cancel interrupts it (SIGINT, then a kill 5 s later).
// The result is the exit code, or an error when the command could not run at all.
func (c *Children) Run(cmd *exec.Cmd) (int, error) {
	return c.run(cmd, true)
}

// run is Run; a child that is not onCancel is left to finish what it is doing when the user
// presses Ctrl-C, and ends only when its context does.
func (c *Children) run(cmd *exec.Cmd, onCancel bool) (int, error) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return -1, err
	}
	if onCancel {
		c.mu.Lock()
		if c.live == nil {
			c.live = map[*exec.Cmd]struct{}{}
		}
		c.live[cmd] = struct{}{}
		c.mu.Unlock()
	}
	err := cmd.Wait()
	c.mu.Lock()
	delete(c.live, cmd)
	c.mu.Unlock()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// Interrupt stops every running child: the engine's Cancel, when the user presses Ctrl-C.
func (c *Children) Interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for cmd := range c.live {
		_ = cmd.Process.Signal(os.Interrupt)
	}
}

// ConfigEnv is the stack config as the SDKs read it: PULUMI_CONFIG (a JSON object of
// "namespace:key" to value, secrets in plain text) and PULUMI_CONFIG_SECRET_KEYS (which of them are secret).
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config, err := json.Marshal(orEmpty(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(orEmptySlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(config), "PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeys)}, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ExitResponse turns a program's exit code into the engine's answer. bailCode is the code an
// SDK exits with after it has shown the user the error itself (then the engine adds nothing).
func ExitResponse(code int, err error, bailCode int) *pulumirpc.RunResponse {
	switch {
	case err != nil:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program: %v", err)}
	case code == 0:
		return &pulumirpc.RunResponse{}
	case bailCode != 0 && code == bailCode:
		return &pulumirpc.RunResponse{Bail: true}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
	}
}

// Streams runs cmd with its output sent back over a streaming RPC (InstallDependencies, RunPlugin).
// A plugin (RunPlugin) is not onCancel: on Ctrl-C the engine lets the steps in flight finish,
// and a provider interrupted mid-create would leave a key Keystone made but state never
// records. The engine ends the plugin (the RPC's context) once the operation is over.
func (c *Children) Streams(cmd *exec.Cmd, closer io.Closer, stdout, stderr io.Writer, onCancel bool) error {
	cmd.Stdout, cmd.Stderr = stdout, stderr
	code, err := c.run(cmd, onCancel)
	if err != nil {
		return fmt.Errorf("could not run %s: %w", cmd.Path, err)
	}
	if code != 0 {
		return fmt.Errorf("%s exited with code %d", strings.Join(cmd.Args, " "), code)
	}
	return closer.Close()
}

// Option reads a string runtime option of Pulumi.yaml (runtime.options.<name>).
func Option(info *pulumirpc.ProgramInfo, name string) (string, bool) {
	if info == nil || info.GetOptions() == nil {
		return "", false
	}
	v, ok := info.GetOptions().AsMap()[name]
	if !ok || v == nil {
		return "", false
	}
	return fmt.Sprint(v), true
}
