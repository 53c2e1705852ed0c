package reference

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sbinet/npyio/npy"
)

// npyHeader is the part of a .npy header the loader relies on.
type npyHeader struct {
	Descr   string // as written, e.g. "<f4"
	Fortran bool
	Shape   []int
}

// npyType is a parsed .npy descr.
type npyType struct {
	Kind  byte // 'f', 'i' or 'b'
	Size  int  // bytes per element
	Order binary.ByteOrder
}

// maxHeaderLen bounds the header dictionary. NumPy writes 118 bytes for the
// arrays here (128 with the prefix) and under 1 KiB for any shape of up to 32
// dimensions; the bound keeps a corrupt version 2 length field (up to 4 GiB)
// from becoming an allocation, and is the slack a member may have beyond
// its data (see maxNPYBytes).
const maxHeaderLen = 4096

// parseNPYHeader reads the header at the start of a .npy file held in buf and
// returns it with the offset at which the data starts. It checks the magic,
// the version (1.0 and 2.0; 3.0 only adds UTF-8 field names, which numeric
// arrays never need, so it is refused as a sign of a foreign writer) and the
// header length itself, then lets npyio parse the dictionary. npyio panics on
// some malformed headers, so it runs under recover and a panic becomes an
// error.
func parseNPYHeader(buf []byte) (h npyHeader, dataOffset int, err error) {
	if len(buf) < 10 {
		return h, 0, fmt.Errorf("npy header truncated: %d bytes", len(buf))
	}
	if !bytes.Equal(buf[:6], npy.Magic[:]) {
		return h, 0, fmt.Errorf("not a .npy file: magic %q", buf[:6])
	}
	major, minor := buf[6], buf[7]
	var hlen, start int
	switch major {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(buf[8:10])), 10
	case 2:
		if len(buf) < 12 {
			return h, 0, fmt.Errorf("npy header truncated: %d bytes", len(buf))
		}
		hlen, start = int(binary.LittleEndian.Uint32(buf[8:12])), 12
	default:
		return h, 0, fmt.Errorf("npy version %d.%d not supported (want 1.0 or 2.0)", major, minor)
	}
	if hlen > maxHeaderLen || start+hlen > len(buf) {
		return h, 0, fmt.Errorf("npy header truncated: header length %d, member has %d bytes after the prefix", hlen, len(buf)-start)
	}
	dataOffset = start + hlen
	dict := buf[start:dataOffset]
	if len(dict) == 0 || dict[len(dict)-1] != '\n' || bytes.IndexByte(dict, '{') < 0 || bytes.IndexByte(dict, '}') < 0 {
		return h, 0, fmt.Errorf("npy header malformed: %q", truncate(dict, 80))
	}

	r, err := npyReadHeader(buf[:dataOffset])
	if err != nil {
		return h, 0, fmt.Errorf("npy header malformed: %v: %q", err, truncate(dict, 80))
	}
	for _, d := range r.Descr.Shape {
		if d < 0 {
			return h, 0, fmt.Errorf("npy header malformed: negative dimension in shape %v", r.Descr.Shape)
		}
	}
	return npyHeader{Descr: r.Descr.Type, Fortran: r.Descr.Fortran, Shape: r.Descr.Shape}, dataOffset, nil
}

// headerCache remembers parsed headers by their bytes. The arrays of a
// fixture file share a handful of shapes and dtypes, so most headers repeat,
// and npyio's reflection-based parser would otherwise be a sixth of a load.
// Only successful parses are kept.
type headerCache map[string]cachedHeader

type cachedHeader struct {
	h   npyHeader
	off int
}

func (c *headerCache) parse(buf []byte) (npyHeader, int, error) {
	if len(buf) >= 12 {
		var n int
		switch buf[6] {
		case 1:
			n = 10 + int(binary.LittleEndian.Uint16(buf[8:10]))
		case 2:
			n = 12 + int(binary.LittleEndian.Uint32(buf[8:12]))
		}
		if n > 0 && n <= len(buf) && n <= maxHeaderLen {
			if e, ok := (*c)[string(buf[:n])]; ok {
				return e.h, e.off, nil
			}
		}
	}
	h, off, err := parseNPYHeader(buf)
	if err == nil {
		if *c == nil {
			*c = make(headerCache)
		}
		(*c)[string(buf[:off])] = cachedHeader{h, off}
	}
	return h, off, err
}

// npyReadHeader runs npyio's header parser, turning its panics into errors.
func npyReadHeader(hdr []byte) (h npy.Header, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("unparsable (%v)", p)
		}
	}()
	r, err := npy.NewReader(bytes.NewReader(hdr))
	if err != nil {
		return h, err
	}
	return r.Header, nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// parseDescr accepts the descrs the fixture format uses: floats of 2, 4 and 8
// bytes, integers of 4 and 8 bytes in either byte order, and "|b1".
func parseDescr(descr string) (npyType, error) {
	if len(descr) != 3 {
		return npyType{}, fmt.Errorf("unsupported npy descr %q", descr)
	}
	t := npyType{Kind: descr[1], Size: int(descr[2] - '0')}
	switch descr[0] {
	case '<':
		t.Order = binary.LittleEndian
	case '>':
		t.Order = binary.BigEndian
	case '|':
		t.Order = binary.LittleEndian // single bytes have no order
	default:
		return npyType{}, fmt.Errorf("unsupported npy descr %q", descr)
	}
	ok := false
	switch t.Kind {
	case 'f':
		ok = descr[0] != '|' && (t.Size == 2 || t.Size == 4 || t.Size == 8)
	case 'i':
		ok = descr[0] != '|' && (t.Size == 4 || t.Size == 8)
	case 'b':
		ok = descr == "|b1"
	}
	if !ok {
		return npyType{}, fmt.Errorf("unsupported npy descr %q", descr)
	}
	return t, nil
}

// storage maps each logical dtype to the kind and size of its .npy storage
// (fixtures/README.md). bfloat16 is stored widened to float32.
var storage = map[string]struct {
	kind byte
	size int
}{
	"float64":  {'f', 8},
	"float32":  {'f', 4},
	"float16":  {'f', 2},
	"bfloat16": {'f', 4},
	"int32":    {'i', 4},
	"int64":    {'i', 8},
	"bool":     {'b', 1},
}

// checkStorage reports whether the .npy type t stores the logical dtype.
func checkStorage(dtype string, t npyType, descr string) error {
	s, ok := storage[dtype]
	if !ok {
		return fmt.Errorf("unknown dtype %q", dtype)
	}
	if s.kind != t.Kind || s.size != t.Size {
		want := "<" + string(s.kind) + strconv.Itoa(s.size)
		if s.kind == 'b' {
			want = "|b1"
		}
		return fmt.Errorf("npy descr %q does not store dtype %s (want %s)", descr, dtype, want)
	}
	return nil
}

// numElements returns the product of shape, or an error when it overflows
// what a slice can hold at size bytes per element.
func numElements(shape []int, size int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > math.MaxInt/size/d {
			return 0, fmt.Errorf("shape %v too large", shape)
		}
		n *= d
	}
	return n, nil
}

// maxExactInt is the largest integer magnitude float64 holds exactly.
const maxExactInt = 1 << 53

// decodeNPY turns the raw data of an array into float64s in C order. It
// checks what the widening to float64 must preserve: integers within 2^53
// and bools stored as 0 or 1.
func decodeNPY(data []byte, t npyType, shape []int, fortran bool) ([]float64, error) {
	n := len(data) / t.Size
	out := make([]float64, n)
	switch {
	case t.Kind == 'f' && t.Size == 2:
		for i := range out {
			out[i] = float16ToFloat64(t.Order.Uint16(data[2*i:]))
		}
	case t.Kind == 'f' && t.Size == 4:
		for i := range out {
			out[i] = float64(math.Float32frombits(t.Order.Uint32(data[4*i:])))
		}
	case t.Kind == 'f' && t.Size == 8:
		for i := range out {
			out[i] = math.Float64frombits(t.Order.Uint64(data[8*i:]))
		}
	case t.Kind == 'i' && t.Size == 4:
		for i := range out {
			out[i] = float64(int32(t.Order.Uint32(data[4*i:])))
		}
	case t.Kind == 'i' && t.Size == 8:
		for i := range out {
			v := int64(t.Order.Uint64(data[8*i:]))
			if v > maxExactInt || v < -maxExactInt {
				return nil, fmt.Errorf("int64 element %d = %d does not fit a float64 exactly", i, v)
			}
			out[i] = float64(v)
		}
	case t.Kind == 'b':
		for i, b := range data {
			if b > 1 {
				return nil, fmt.Errorf("bool element %d holds byte %#x (want 0 or 1)", i, b)
			}
			out[i] = float64(b)
		}
	default:
		return nil, fmt.Errorf("unsupported npy type %c%d", t.Kind, t.Size)
	}
	if fortran && len(shape) > 1 {
		out = fortranToC(out, shape)
	}
	return out, nil
}

// fortranToC reorders column-major data of the given shape into row-major
// order. It walks the source in storage order, keeping the multi-index and
// the matching row-major offset up to date.
func fortranToC(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	if len(src) == 0 {
		return dst
	}
	nd := len(shape)
	stride := make([]int, nd) // row-major strides
	stride[nd-1] = 1
	for k := nd - 2; k >= 0; k-- {
		stride[k] = stride[k+1] * shape[k+1]
	}
	idx := make([]int, nd)
	off := 0
	for _, v := range src {
		dst[off] = v
		// Advance the column-major multi-index: the first axis moves fastest.
		for k := 0; k < nd; k++ {
			idx[k]++
			off += stride[k]
			if idx[k] < shape[k] {
				break
			}
			off -= idx[k] * stride[k]
			idx[k] = 0
		}
	}
	return dst
}

// formatShape writes a shape the way NumPy does, for error messages.
func formatShape(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
