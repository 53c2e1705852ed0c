// Command kerasparity is the harness's command line: kerasparity show CASE
// prints a fixture case and the Python that reproduces it.
//
// This main.go is a minimal dispatcher; each verb lives in its own file.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a verb and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: kerasparity show [flags] CASE")
		return 2
	}
	switch args[0] {
	case "show":
		return cmdShow(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "kerasparity: unknown command %q (known: show)\n", args[0])
	return 2
}
