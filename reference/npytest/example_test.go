package npytest_test

import (
	"fmt"

	"github.com/kerasparity/kerasparity/reference/npytest"
)

// A 2x2 float32 array as NumPy's np.save writes it: magic, version, a
// header padded to a multiple of 64 bytes, then the data.
func ExampleEncode() {
	b := npytest.Encode("float32", []int{2, 2}, []float64{0, 1, 1, 0}, npytest.Layout{})
	header := 10 + (int(b[8]) | int(b[9])<<8)
	fmt.Printf("%q, header %d bytes, data %d bytes\n", b[:6], header, len(b)-header)
	// Output:
	// "\x93NUMPY", header 128 bytes, data 16 bytes
}
