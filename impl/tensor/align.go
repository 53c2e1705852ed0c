package tensor

// SqueezeOrExpandToSameRank is Keras's squeeze_or_expand_to_same_rank
// (keras/src/losses/loss.py): when the ranks of a and b differ by exactly one
// and the higher-rank tensor's last dimension is 1, either the lower-rank
// tensor gains a trailing 1 (if it has rank 1 and expandRank1 is set) or the
// higher-rank tensor loses its trailing 1. Any other pair is returned as is,
// left to ordinary broadcasting. Only shapes change; data is shared.
//
// Keras uses it between y_true and y_pred in loss classes, between a mask and
// a sample weight, and between per-sample values and a sample weight, which is
// why a (B, 1) weight against (B,) losses yields (B, 1) losses.
func SqueezeOrExpandToSameRank(a, b Tensor, expandRank1 bool) (Tensor, Tensor) {
	ra, rb := a.Rank(), b.Rank()
	if ra == rb+1 && a.Shape[ra-1] == 1 {
		if rb == 1 && expandRank1 {
			b = withShape(b, append(clone(b.Shape), 1))
		} else {
			a = withShape(a, clone(a.Shape[:ra-1]))
		}
	}
	if rb == ra+1 && b.Shape[rb-1] == 1 {
		if ra == 1 && expandRank1 {
			a = withShape(a, append(clone(a.Shape), 1))
		} else {
			b = withShape(b, clone(b.Shape[:rb-1]))
		}
	}
	return a, b
}

func clone(s []int) []int { return append(make([]int, 0, len(s)+1), s...) }

func withShape(t Tensor, shape []int) Tensor {
	t.Shape = shape
	return t
}
