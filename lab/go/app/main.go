// Command eiplab-app is the seed's demo app, rewritten for the lab: every
// request to / makes it call the "what is my IP" echo service and report
// what that service saw. With --bind-source its outgoing connections use
// its listen IP as their source address (the seed's scheme 1 change); with
// --bind-device its outgoing sockets are bound to a NIC (SO_BINDTODEVICE).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"syscall"
	"time"
)

var (
	addr       = flag.String("addr", ":8080", "address the HTTP server listens on")
	echoURL    = flag.String("echo", "http://192.0.2.10/", "URL of the echo service the app calls out to")
	name       = flag.String("name", "", "label repeated in every answer, so the lab knows which instance answered")
	bindSource = flag.Bool("bind-source", false, "use the listen IP as the source address of outgoing connections")
	bindDevice = flag.String("bind-device", "", "bind outgoing sockets to this NIC with SO_BINDTODEVICE (the route must then leave through it)")
	timeout    = flag.Duration("timeout", time.Second, "deadline for one outgoing request")
)

type reply struct {
	Name     string          `json:"name,omitempty"`
	Listen   string          `json:"listen"`
	Client   string          `json:"client"`
	Local    string          `json:"local,omitempty"`
	Echo     json.RawMessage `json:"echo,omitempty"`
	Error    string          `json:"error,omitempty"`
	BindFrom string          `json:"bind_source,omitempty"`
	BindDev  string          `json:"bind_device,omitempty"`
}

func main() {
	flag.Parse()
	client, bindIP, err := newClient()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eiplab-app:", err)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	// /whoami answers without calling out, so an ingress probe is not
	// slowed or failed by a broken egress path.
	mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, reply{Name: *name, Listen: *addr, Client: r.RemoteAddr, BindFrom: bindIP, BindDev: *bindDevice})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		out := reply{Name: *name, Listen: *addr, Client: r.RemoteAddr, BindFrom: bindIP, BindDev: *bindDevice}
		local, body, err := callEcho(client, r.URL.Query().Get("id"))
		out.Local = local
		if err != nil {
			out.Error = err.Error()
			log.Printf("%s -> echo failed: %v", r.RemoteAddr, err)
			writeJSON(w, http.StatusBadGateway, out)
			return
		}
		out.Echo = body
		log.Printf("%s -> echo via %s: %s", r.RemoteAddr, local, body)
		writeJSON(w, http.StatusOK, out)
	})
	log.Printf("listening on %s (bind-source=%v, bind-device=%q, echo=%s)", *addr, *bindSource, *bindDevice, *echoURL)
	if err := http.ListenAndServe(*addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "eiplab-app:", err)
		os.Exit(1)
	}
}

// newClient builds the HTTP client. Keep-alives are off so that every probe
// opens a fresh connection and routing is decided anew.
func newClient() (*http.Client, string, error) {
	dialer := &net.Dialer{Timeout: *timeout}
	bindIP := ""
	if *bindSource {
		host, _, err := net.SplitHostPort(*addr)
		ip := net.ParseIP(host)
		if err != nil || ip == nil || ip.IsUnspecified() {
			return nil, "", fmt.Errorf("--bind-source needs --addr with a concrete IP, got %q", *addr)
		}
		dialer.LocalAddr = &net.TCPAddr{IP: ip}
		bindIP = ip.String()
	}
	if *bindDevice != "" {
		dialer.Control = bindToDevice(*bindDevice)
	}
	transport := &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	return &http.Client{Transport: transport, Timeout: *timeout}, bindIP, nil
}

// bindToDevice sets SO_BINDTODEVICE on each outgoing socket before it
// connects, so the kernel only considers routes through that NIC.
func bindToDevice(dev string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptString(int(fd), syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, dev)
		}); err != nil {
			return err
		}
		if serr != nil {
			return fmt.Errorf("SO_BINDTODEVICE %s: %w", dev, serr)
		}
		return nil
	}
}

// callEcho GETs the echo service with the probe's id and returns the local
// address the connection used and the echo service's JSON answer.
func callEcho(client *http.Client, id string) (string, json.RawMessage, error) {
	u, err := url.Parse(*echoURL)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("id", id)
	q.Set("format", "json")
	u.RawQuery = q.Encode()
	local := ""
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		local = info.Conn.LocalAddr().String()
	}}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("User-Agent", "curl/7.47.0")
	res, err := client.Do(req)
	if err != nil {
		return local, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return local, nil, err
	}
	if res.StatusCode != http.StatusOK || !json.Valid(body) {
		return local, nil, fmt.Errorf("echo answered %s: %q", res.Status, body)
	}
	return local, body, nil
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
