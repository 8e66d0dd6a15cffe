package main

import (
	"fmt"
	"log"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// bench URL N : N GETs of URL one after the other, each on a new connection (as a short-lived
// client's request is), after one that waits until URL answers at all. Prints how many answers each
// pod gave ("hello from <pod>" lines, so a Service's spread shows) and the median round trip.
func bench(args []string) int {
	if len(args) != 2 {
		log.Print("usage: hello-http bench URL N")
		return 2
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 1 || n > 1000 {
		log.Printf("bench: N must be a number from 1 to 1000, not %q", args[1])
		return 2
	}
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if code := poll(client, args[0], "", ""); code != 0 {
		return code
	}
	fmt.Println()
	answers := map[string]int{}
	rounds := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		started := time.Now()
		body, err := fetch(client, args[0], "")
		if err != nil {
			log.Printf("bench: GET %s (round %d): %v", args[0], i+1, err)
			return 1
		}
		rounds = append(rounds, time.Since(started))
		who, _, _ := strings.Cut(strings.TrimSpace(body), ":")
		answers[who]++
	}
	names := make([]string, 0, len(answers))
	for who := range answers {
		names = append(names, who)
	}
	sort.Strings(names)
	for _, who := range names {
		fmt.Printf("answered %d: %s\n", answers[who], who)
	}
	sort.Slice(rounds, func(i, j int) bool { return rounds[i] < rounds[j] })
	fmt.Printf("median %.2f ms over %d rounds\n", float64(rounds[n/2].Microseconds())/1000, n)
	return 0
}
