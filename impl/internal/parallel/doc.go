// Package parallel splits row-wise work over goroutines.
//
// The crossentropy kernels compute one value per row; rows are independent,
// so splitting them changes no result. Reductions across rows stay with the
// caller, done in a fixed order, which keeps every result the same whatever
// the number of workers.
package parallel
