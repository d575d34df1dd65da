// sdkgen renders the Python and Go SDKs of the cloudphone package with Pulumi's own code generators
// (github.com/pulumi/pulumi/pkg/v3/codegen/{python,go}) at the version this module pins, which is the version of the
// pulumi CLI built beside it. It does what `pulumi package gen-sdk --language python|go` does once the schema is in
// hand (bind the schema, marshal it, bind it again as the language host does, generate), without the language hosts
// pulumi-language-python/-go v3.248, which the Go module proxy here does not serve.
//
//	sdkgen --schema schema.json --language python|go --out DIR
//
// The schema should be the one the plugin serves (`pulumi package get-schema <plugin dir>`): it carries the version.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noExternalPackages refuses every external package reference: the cloudphone schema has none (pulumi.json#/Any is
// built in), so a reference reaching here is a schema mistake to report, not something to download.
type noExternalPackages struct{}

var errExternal = errors.New("the cloudphone schema must not reference other packages")

func (noExternalPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errExternal
}

func (noExternalPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errExternal
}

func (noExternalPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errExternal
}

func (noExternalPackages) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errExternal
}

func bind(spec schema.PackageSpec, opts schema.ValidationOptions) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noExternalPackages{}, opts)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

func run(schemaPath, language, out string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// As gen-sdk: bind, marshal, and the language host binds again (allowing dangling references).
	pkg, err := bind(spec, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	marshalled, err := pkg.MarshalJSON()
	if err != nil {
		return err
	}
	var again schema.PackageSpec
	if err := json.Unmarshal(marshalled, &again); err != nil {
		return err
	}
	pkg, err = bind(again, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return err
	}

	var files map[string][]byte
	switch language {
	case "python":
		files, err = pygen.GeneratePackage("pulumi-language-python", pkg, map[string][]byte{}, noExternalPackages{})
	case "go":
		files, err = gogen.GeneratePackage("pulumi-language-go", pkg, map[string]string{})
	default:
		return fmt.Errorf("--language must be python or go, not %q", language)
	}
	if err != nil {
		return err
	}

	// As gen-sdk: the output directory is emptied, then every file written.
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "sdkgen: wrote %d files of the %s SDK to %s\n", len(names), language, out)
	return nil
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	language := flag.String("language", "", "python or go")
	out := flag.String("out", "", "output directory (emptied first)")
	flag.Parse()
	if *schemaPath == "" || *language == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: sdkgen --schema FILE --language python|go --out DIR")
		os.Exit(2)
	}
	if err := run(*schemaPath, *language, *out); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}
