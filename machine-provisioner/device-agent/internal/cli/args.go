package cli

import (
	"fmt"
	"strings"
)

// parsed is a command line split into positional arguments and flags.
type parsed struct {
	args  []string
	flags map[string]string
}

// parseArgs accepts flags anywhere (`apply pumps --reason x` as well as `apply --reason x
// pumps`), as --name value or --name=value; every flag takes a value. Known flags are given by
// name; aliases map a short name to its long one ("o" -> "output").
func parseArgs(in []string, known []string, aliases map[string]string) (parsed, error) {
	p := parsed{flags: map[string]string{}}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for i := 0; i < len(in); i++ {
		arg := in[i]
		if arg == "--" {
			p.args = append(p.args, in[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			p.args = append(p.args, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if long, ok := aliases[name]; ok {
			name = long
		}
		if !isKnown[name] {
			return p, fmt.Errorf("unknown flag %s", arg)
		}
		if !hasValue {
			if i+1 >= len(in) {
				return p, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = in[i]
		}
		if _, dup := p.flags[name]; dup {
			return p, fmt.Errorf("flag --%s given twice", name)
		}
		p.flags[name] = value
	}
	return p, nil
}

// output reads -o/--output: table (default) or json.
func (p parsed) output() (string, error) {
	switch o := p.flags["output"]; o {
	case "", "table":
		return "table", nil
	case "json":
		return "json", nil
	default:
		return "", fmt.Errorf("-o: %q is not table or json", o)
	}
}
