package drift

import (
	"math"
	"testing"
)

func TestULPDistance(t *testing.T) {
	for _, tc := range []struct {
		x, y  float64
		dtype string
		want  float64
	}{
		{1, 1 + math.Pow(2, -10), "float16", 1},
		{0, math.Pow(2, -24), "float16", 1},
		{math.Pow(2, -14) - math.Pow(2, -24), math.Pow(2, -14), "float16", 1},
		{-math.Pow(2, -24), math.Pow(2, -24), "float16", 2},
		{65504, 32768, "float16", 1023},
		{1, 1 + math.Pow(2, -7), "bfloat16", 1},
		{0, float64(math.SmallestNonzeroFloat32), "float32", 1},
		{1, float64(math.Nextafter32(1, 2)), "float32", 1},
		{-1, 1, "float64", 2 * float64(math.Float64bits(1))},
		{3, 5, "int32", 2},
	} {
		if got := ulpDistance(tc.x, tc.y, tc.dtype); got != tc.want {
			t.Errorf("ulpDistance(%g, %g, %s) = %g, want %g", tc.x, tc.y, tc.dtype, got, tc.want)
		}
	}
}
