package testenv

import "testing"

func TestPythonJSON(t *testing.T) {
	in := `{"a":Infinity,"b":[-Infinity,NaN,1.5],"c":"Infinity \"NaN\" -Infinity","d":{"e":NaN}}`
	want := `{"a":"Infinity","b":["-Infinity","NaN",1.5],"c":"Infinity \"NaN\" -Infinity","d":{"e":"NaN"}}`
	if got := string(PythonJSON([]byte(in))); got != want {
		t.Errorf("PythonJSON(%s)\n= %s\nwant %s", in, got, want)
	}
}
