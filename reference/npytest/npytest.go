// Package npytest writes .npy files and .npz archives for tests that build
// fixture sets by hand: the format of fixtures/README.md, written
// independently of the loader in package reference, so a test of the
// loader or of a tool that reads fixtures is not checked against itself.
package npytest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// Layout is how an array is stored: column-major (Fortran) and big-endian
// are both legal in .npy files, and loaders must honour them.
type Layout struct {
	Fortran, BigEndian bool
}

// Encode writes a version 1.0 .npy file of dtype (float64, float32,
// float16, bfloat16 (stored as <f4, as the fixtures do), int32, int64,
// bool). vals are in C order; with l.Fortran they are stored column-major,
// as NumPy does for a Fortran array. A float16 value must be exactly
// representable.
func Encode(dtype string, shape []int, vals []float64, l Layout) []byte {
	descr := map[string]string{"float64": "<f8", "float32": "<f4", "float16": "<f2", "bfloat16": "<f4",
		"int32": "<i4", "int64": "<i8", "bool": "|b1"}[dtype]
	var order binary.AppendByteOrder = binary.LittleEndian
	if l.BigEndian && descr[0] == '<' {
		descr, order = ">"+descr[1:], binary.BigEndian
	}
	if l.Fortran {
		vals = toFortran(vals, shape)
	}
	var data []byte
	for _, v := range vals {
		switch dtype {
		case "float64":
			data = order.AppendUint64(data, math.Float64bits(v))
		case "float32", "bfloat16":
			data = order.AppendUint32(data, math.Float32bits(float32(v)))
		case "float16":
			data = order.AppendUint16(data, exactHalf(v))
		case "int32":
			data = order.AppendUint32(data, uint32(int32(v)))
		case "int64":
			data = order.AppendUint64(data, uint64(int64(v)))
		case "bool":
			data = append(data, byte(v))
		}
	}
	return File(descr, l.Fortran, shape, data)
}

// File assembles an .npy file from its descr, order, shape and raw data,
// padding the header as NumPy does; corruption tests build odd files with it.
func File(descr string, fortran bool, shape []int, data []byte) []byte {
	fo := "False"
	if fortran {
		fo = "True"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, fo, shapeTuple(shape))
	pad := 64 - (10+len(dict)+1)%64
	dict += strings.Repeat(" ", pad%64) + "\n"
	out := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), byte(len(dict)>>8))
	out = append(out, dict...)
	return append(out, data...)
}

func shapeTuple(shape []int) string {
	switch len(shape) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", shape[0])
	}
	s := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(shape)), ", "), "[]")
	return "(" + s + ")"
}

// toFortran lays C-ordered vals out column-major.
func toFortran(vals []float64, shape []int) []float64 {
	out := make([]float64, len(vals))
	for f := range vals {
		// Column-major multi-index of f, then its row-major offset.
		rem, c, stride := f, 0, 1
		idx := make([]int, len(shape))
		for k := range shape {
			idx[k] = rem % shape[k]
			rem /= shape[k]
		}
		for k := len(shape) - 1; k >= 0; k-- {
			c += idx[k] * stride
			stride *= shape[k]
		}
		out[f] = vals[c]
	}
	return out
}

// exactHalf encodes a float16 value that must be exactly representable.
func exactHalf(v float64) uint16 {
	var sign uint16
	if math.Signbit(v) {
		sign, v = 0x8000, -v
	}
	switch {
	case math.IsNaN(v):
		return 0x7e00
	case math.IsInf(v, 0):
		return sign | 0x7c00
	case v == 0:
		return sign
	case v < 0x1p-14: // subnormal: a multiple of 2^-24
		m := v * 0x1p24
		if m != math.Trunc(m) {
			panic(fmt.Sprint("not a float16: ", v))
		}
		return sign | uint16(m)
	}
	e := math.Floor(math.Log2(v))
	m := (v/math.Exp2(e) - 1) * 1024
	if m != math.Trunc(m) || e > 15 {
		panic(fmt.Sprint("not a float16: ", v))
	}
	return sign | uint16(e+15)<<10 | uint16(m)
}

// Archive zips .npy members (names without the .npy suffix, as fixture
// keys are) into an .npz, deflated as numpy.savez_compressed does.
func Archive(names []string, members [][]byte) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, name := range names {
		f, err := zw.Create(name + ".npy")
		if err == nil {
			_, err = f.Write(members[i])
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
