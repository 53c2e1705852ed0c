// Package testkit holds what the tests and benchmarks of impl share: a
// terse tensor constructor and the deterministic large batch of float32
// labels and predictions that `make bench` reports on.
package testkit
