package tensor

// PromoteFloat is the dtype of the result of an op between tensors of two
// float dtypes (NumPy's and Keras's promotion): the dtype itself if they
// are equal, float64 if either is, float32 otherwise (float16 with
// bfloat16 included).
func PromoteFloat(a, b DType) DType {
	switch {
	case a == b:
		return a
	case a == Float64 || b == Float64:
		return Float64
	}
	return Float32
}
