package reference

// MatchPattern reports whether a case id matches a pattern in which '*'
// matches any run of characters, '/' included, and every other character
// stands for itself. Case ids are paths of parameters
// ("loss/CategoricalCrossentropy/logits/ls=0.1/red=sum/w=per_sample/f32/0007"),
// so one '*' can span several of them ("loss/CategoricalCrossentropy/*/f16/*");
// there are no character classes or escapes, because '[', '?' and '\' can
// appear in parameter values and must match literally.
func MatchPattern(pattern, id string) bool {
	p, s := 0, 0
	star, resume := -1, 0 // last '*' seen in pattern, and where its run ends in id
	for s < len(id) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, resume = p, s
			p++
		case p < len(pattern) && pattern[p] == id[s]:
			p++
			s++
		case star >= 0:
			// Let the last '*' swallow one more character and retry. Earlier
			// stars never need to move: this one can absorb anything they would.
			resume++
			p, s = star+1, resume
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
