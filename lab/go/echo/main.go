// Command eiplab-echo is the lab's stand-in for an external "what is my IP"
// service: it answers each request with the address and port it saw, and
// keeps a record of each request id that the lab queries afterwards. It also
// keeps every request in arrival order, with or without an id, so the lab
// can attribute the requests of a program it did not write by when they came.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	addr       = flag.String("addr", "192.0.2.10:80", "address to listen on")
	maxRecords = flag.Int("max-records", 10000, "records kept; the oldest are dropped first")
)

type record struct {
	ID        string `json:"id"`
	IP        string `json:"ip"`
	Port      string `json:"port"`
	Time      string `json:"time"`
	UserAgent string `json:"user_agent,omitempty"`
	LocalAddr string `json:"local,omitempty"`
	Path      string `json:"path,omitempty"`
	Host      string `json:"host,omitempty"`
	// Arrival time in unix nanoseconds, as the lab's probe script stamps its phases.
	Nanos int64 `json:"nanos"`
}

type store struct {
	mu    sync.Mutex
	byID  map[string]record
	order []string
	limit int
	// Every request, oldest first (bounded by limit too).
	all []record
}

func (s *store) log(r record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, r)
	if len(s.all) > s.limit {
		s.all = s.all[len(s.all)-s.limit:]
	}
}

// since returns the requests that arrived at or after t (unix nanoseconds).
func (s *store) since(t int64) []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []record{}
	for _, r := range s.all {
		if r.Nanos >= t {
			out = append(out, r)
		}
	}
	return out
}

func (s *store) put(r record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.byID[r.ID]; !seen {
		s.order = append(s.order, r.ID)
	}
	s.byID[r.ID] = r
	for len(s.order) > s.limit {
		delete(s.byID, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *store) get(id string) (record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byID[id]
	return r, ok
}

func main() {
	flag.Parse()
	records := &store{byID: map[string]record{}, limit: *maxRecords}
	mux := http.NewServeMux()
	// /record?id=X is the lab's query; it is not itself recorded.
	mux.HandleFunc("/record", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		rec, ok := records.get(id)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no request with id " + id})
			return
		}
		writeJSON(w, http.StatusOK, rec)
	})
	// /requests?since=NANOS is the lab's query for every request since then; not itself recorded.
	mux.HandleFunc("/requests", func(w http.ResponseWriter, r *http.Request) {
		since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
		writeJSON(w, http.StatusOK, records.since(since))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ip, port, _ := net.SplitHostPort(r.RemoteAddr)
		now := time.Now()
		rec := record{
			ID:        r.URL.Query().Get("id"),
			IP:        ip,
			Port:      port,
			Time:      now.UTC().Format(time.RFC3339Nano),
			UserAgent: r.UserAgent(),
			Path:      r.URL.Path,
			Host:      r.Host,
			Nanos:     now.UnixNano(),
		}
		if local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			rec.LocalAddr = local.String()
		}
		records.log(rec)
		if rec.ID != "" {
			records.put(rec)
		}
		log.Printf("request id=%q from %s", rec.ID, r.RemoteAddr)
		if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
			writeJSON(w, http.StatusOK, rec)
			return
		}
		fmt.Fprintf(w, "%s:%s\n", ip, port)
	})
	log.Printf("listening on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "eiplab-echo:", err)
		os.Exit(1)
	}
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
