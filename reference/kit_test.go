package reference

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/kerasparity/kerasparity/reference/npytest"
	"os"
	"path/filepath"
	"sync"
)

// LoadCommitted loads the committed fixture set (../fixtures) once per test
// process and shares it between the specs of this package and of
// reference_test, which only read it: each load costs a second of CPU and
// some 300 MB, and `go test ./reference` used to pay it three times. It is
// exported for reference_test and, living in a _test.go file, for nothing
// else.
var LoadCommitted = sync.OnceValues(func() (*Set, error) { return Load(committed) })

// kit writes small fixture sets for the specs: npz archives built with
// archive/zip and .npy headers written here, independently of the loader,
// plus a manifest whose checksums it computes.
type kit struct {
	dir   string // where manifest.json and the archives go
	m     *Manifest
	files map[string]*kitFile
	order []string // file names in order of creation
}

type kitFile struct {
	members []kitMember
}

type kitMember struct {
	name   string // with .npy
	data   []byte
	method uint16
	noCRC  bool
	// raw, when set, is written as the member's deflated bytes as they are,
	// under a directory entry that declares declared bytes uncompressed with
	// CRC-32 crc: a member that lies about its size.
	raw      []byte
	declared uint64
	crc      uint32
}

// arrOpt changes how kit.arr writes an array.
type arrOpt struct {
	fortran   bool
	bigEndian bool
	stored    bool // zip.Store instead of zip.Deflate
	noCRC     bool // stored, with a zero CRC-32, which archive/zip does not check
}

func newKit(dir, backend string) *kit {
	return &kit{
		dir: dir,
		m: &Manifest{
			Format:    FormatTag,
			Backend:   backend,
			Generator: Generator{Name: "kit", Revision: "test", Seed: 1},
			Versions:  map[string]string{"keras": "3.0.0"},
			Keras:     KerasSettings{Epsilon: 1e-7, Floatx: "float32"},
			Files:     map[string]FileInfo{},
		},
		files: map[string]*kitFile{},
	}
}

// member adds raw .npy bytes to file as key and returns its checksum.
func (k *kit) member(file, key string, npyBytes []byte, o arrOpt) string {
	f, ok := k.files[file]
	if !ok {
		f = &kitFile{}
		k.files[file] = f
		k.order = append(k.order, file)
	}
	method := zip.Deflate
	if o.stored || o.noCRC {
		method = zip.Store
	}
	f.members = append(f.members, kitMember{name: key + ".npy", data: npyBytes, method: method, noCRC: o.noCRC})
	sum := sha256.Sum256(npyBytes)
	return hex.EncodeToString(sum[:])
}

// arr adds an array given in C order and returns its ArrayRef.
func (k *kit) arr(file, key, dtype string, shape []int, vals []float64, opts ...arrOpt) *ArrayRef {
	var o arrOpt
	if len(opts) > 0 {
		o = opts[0]
	}
	raw := npyEncode(dtype, shape, vals, o)
	sum := k.member(file, key, raw, o)
	return &ArrayRef{File: file, Key: key, DType: dtype, Shape: shape, SHA256: sum}
}

// lossCase adds a loss case with one call step whose arrays live in file.
func (k *kit) lossCase(id, file string) *Case {
	p := fmt.Sprintf("c%04d/s0/", len(k.m.Cases))
	c := &Case{ID: id, Kind: "loss", Class: "MeanSquaredError", DType: "float32",
		Config: map[string]any{"name": "mse"}, Params: map[string]string{}, Edges: []string{},
		Steps: []*Step{{
			Op:     "call",
			YTrue:  k.arr(file, p+"y_true", "float32", []int{2, 2}, []float64{0, 1, 1, 0}),
			YPred:  k.arr(file, p+"y_pred", "float32", []int{2, 2}, []float64{0.25, 0.75, 0.5, 0.5}),
			Expect: Outcome{Value: k.arr(file, p+"value", "float32", []int{}, []float64{0.15625})},
		}},
	}
	k.m.Cases = append(k.m.Cases, c)
	return c
}

// write writes the archives and the manifest, and returns the set's folder.
func (k *kit) write() string {
	must(os.MkdirAll(k.dir, 0o755))
	for _, name := range k.order {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, mem := range k.files[name].members {
			fh := &zip.FileHeader{Name: mem.name, Method: mem.method}
			create, data := zw.CreateHeader, mem.data
			switch {
			case mem.raw != nil:
				fh.Method, fh.CompressedSize64, fh.UncompressedSize64, fh.CRC32 = zip.Deflate, uint64(len(mem.raw)), mem.declared, mem.crc
				create, data = zw.CreateRaw, mem.raw
			case mem.noCRC:
				fh.CompressedSize64 = uint64(len(mem.data))
				fh.UncompressedSize64 = uint64(len(mem.data))
				create = zw.CreateRaw
			}
			w, err := create(fh)
			must(err)
			_, err = w.Write(data)
			must(err)
		}
		must(zw.Close())
		must(os.WriteFile(filepath.Join(k.dir, name), buf.Bytes(), 0o644))
		k.rehash(name)
	}
	k.writeManifest()
	return k.dir
}

// setMember replaces the .npy bytes of a member (a key without .npy) and
// the checksum of every ArrayRef naming it, as if the generator had written
// those bytes: only the structural checks can refuse them then. Call write
// after.
func (k *kit) setMember(file, key string, npyBytes []byte) *kitMember {
	sum := sha256.Sum256(npyBytes)
	for _, c := range k.m.Cases {
		for _, s := range c.Steps {
			for _, r := range s.refs() {
				if r.ref.File == file && r.ref.Key == key {
					r.ref.SHA256 = hex.EncodeToString(sum[:])
				}
			}
		}
	}
	for i := range k.files[file].members {
		if mem := &k.files[file].members[i]; mem.name == key+".npy" {
			mem.data = npyBytes
			return mem
		}
	}
	panic("no member " + key)
}

// rehash records the current checksum of a written file in the manifest
// (call writeManifest after), as if the corruption had happened before the
// manifest was made: only the member checks can catch it then.
func (k *kit) rehash(name string) {
	raw, err := os.ReadFile(filepath.Join(k.dir, name))
	must(err)
	sum := sha256.Sum256(raw)
	k.m.Files[name] = FileInfo{SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(raw))}
}

func (k *kit) writeManifest() {
	raw, err := json.MarshalIndent(k.m, "", " ")
	must(err)
	must(os.WriteFile(k.path(), raw, 0o644))
}

func (k *kit) path() string { return filepath.Join(k.dir, ManifestName) }

// editFile applies f to the bytes of a written file.
func (k *kit) editFile(name string, f func([]byte) []byte) {
	p := filepath.Join(k.dir, name)
	raw, err := os.ReadFile(p)
	must(err)
	must(os.WriteFile(p, f(raw), 0o644))
}

// flipInMember flips a byte inside a member's stored bytes (the middle of a
// deflated stream, the last data byte of a stored one) and records the
// file's new checksum, as if the corruption had happened before the
// manifest was made: only the member checks can catch it then.
func (k *kit) flipInMember(file, key string) {
	zr, err := zip.OpenReader(filepath.Join(k.dir, file))
	must(err)
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != key+".npy" {
			continue
		}
		off, err := f.DataOffset()
		must(err)
		at := off + int64(f.CompressedSize64) - 1
		if f.Method == zip.Deflate {
			at = off + int64(f.CompressedSize64)/2
		}
		k.editFile(file, func(b []byte) []byte { b[at] ^= 0x10; return b })
		k.rehash(file)
		k.writeManifest()
		return
	}
	panic("no member " + key)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// npyEncode writes a version 1.0 .npy file in the layout o asks for.
func npyEncode(dtype string, shape []int, vals []float64, o arrOpt) []byte {
	return npytest.Encode(dtype, shape, vals, npytest.Layout{Fortran: o.fortran, BigEndian: o.bigEndian})
}
