// Command my-app is the kind of program the workshop's last exercise runs
// in the lab: it knows nothing of eiplab. It serves HTTP where -listen says
// and, for every request, fetches -url by host name with Go's default
// client and answers with what came back. -bind makes its outgoing
// connections start from the listen address (the post's scheme-1 change).
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"net/http"
)

func main() {
	listen := flag.String("listen", ":8080", "address to serve on")
	url := flag.String("url", "http://haoip.cn/", "what to fetch for each request")
	bind := flag.Bool("bind", false, "start outgoing connections from the listen address")
	flag.Parse()

	client := http.DefaultClient
	if *bind {
		host, _, err := net.SplitHostPort(*listen)
		if err != nil {
			log.Fatalf("-bind needs -listen IP:PORT: %v", err)
		}
		local := &net.TCPAddr{IP: net.ParseIP(host)}
		client = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: local}).DialContext}}
	}

	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		res, err := client.Get(*url)
		if err != nil {
			log.Printf("fetch %s: %v", *url, err)
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		log.Printf("fetch %s: %s, the far end saw %s", *url, res.Status, body)
		_, _ = w.Write(body)
	})
	log.Printf("serving on %s", *listen)
	log.Fatal(http.ListenAndServe(*listen, nil))
}
