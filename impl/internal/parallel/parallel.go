package parallel

import (
	"runtime"
	"sync"
)

// MinElements is the number of elements below which work runs on the calling
// goroutine: under it, starting goroutines costs more than it saves.
const MinElements = 1 << 16

// Workers is the number of goroutines Rows uses for large inputs; 0 means
// runtime.GOMAXPROCS(0). Tests set it to check that results do not depend on
// it.
var Workers = 0

// Rows calls fn over [0, rows) in contiguous chunks [lo, hi), on several
// goroutines when rows*width (the elements the work touches) reaches
// MinElements. fn must only write state owned by its rows.
func Rows(rows, width int, fn func(lo, hi int)) {
	w := Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if w <= 1 || rows < 2 || rows*max(width, 1) < MinElements {
		fn(0, rows)
		return
	}
	w = min(w, rows)
	var wg sync.WaitGroup
	chunk := (rows + w - 1) / w
	for lo := 0; lo < rows; lo += chunk {
		hi := min(lo+chunk, rows)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
