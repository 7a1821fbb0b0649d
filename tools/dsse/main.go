// Command dsse-interop signs and verifies DSSE envelopes with the Go reference
// implementation, github.com/secure-systems-lab/go-securesystemslib/dsse (PAE,
// envelope and verification logic) and Go's crypto/ed25519, so that prodgate's
// tests can prove interoperability with an independent DSSE implementation both
// ways. The module version and checksums are pinned by go.mod and go.sum.
//
//	dsse-interop sign <private-key.pem> <payload-type> <keyid>   payload on stdin, envelope (encoding/json) on stdout
//	dsse-interop verify <public-key.pem>                         envelope on stdin; exit 0 and the payload on stdout when it verifies
//
// Key ids are prodgate's: lowercase hex sha256 of the public key's SubjectPublicKeyInfo (DER).
package main

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

type ed25519Key struct {
	private ed25519.PrivateKey
	public  ed25519.PublicKey
	keyID   string
}

func (k *ed25519Key) Sign(_ context.Context, data []byte) ([]byte, error) {
	if k.private == nil {
		return nil, errors.New("no private key")
	}
	return ed25519.Sign(k.private, data), nil
}

func (k *ed25519Key) Verify(_ context.Context, data, sig []byte) error {
	if !ed25519.Verify(k.public, data, sig) {
		return errors.New("ed25519 signature does not verify")
	}
	return nil
}

func (k *ed25519Key) KeyID() (string, error) { return k.keyID, nil }

func (k *ed25519Key) Public() crypto.PublicKey { return k.public }

func keyIDOf(public ed25519.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(public)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

func readPEM(path string) (*pem.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM block", path)
	}
	return block, nil
}

func signer(path, keyID string) (*ed25519Key, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	private, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("not an ed25519 private key")
	}
	return &ed25519Key{private: private, public: private.Public().(ed25519.PublicKey), keyID: keyID}, nil
}

func verifier(path string) (*ed25519Key, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	public, ok := parsed.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("not an ed25519 public key")
	}
	keyID, err := keyIDOf(public)
	if err != nil {
		return nil, err
	}
	return &ed25519Key{public: public, keyID: keyID}, nil
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	ctx := context.Background()
	input, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	switch {
	case len(args) == 4 && args[0] == "sign":
		key, err := signer(args[1], args[3])
		if err != nil {
			return err
		}
		es, err := dsse.NewEnvelopeSigner(key)
		if err != nil {
			return err
		}
		envelope, err := es.SignPayload(ctx, args[2], input)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(envelope)
	case len(args) == 2 && args[0] == "verify":
		key, err := verifier(args[1])
		if err != nil {
			return err
		}
		var envelope dsse.Envelope
		if err := json.Unmarshal(input, &envelope); err != nil {
			return fmt.Errorf("not a DSSE envelope: %w", err)
		}
		ev, err := dsse.NewEnvelopeVerifier(key)
		if err != nil {
			return err
		}
		accepted, payload, err := ev.VerifyAndDecode(ctx, &envelope)
		if err != nil {
			return fmt.Errorf("does not verify: %w", err)
		}
		if len(accepted) != 1 || accepted[0].KeyID != key.keyID {
			return errors.New("does not verify: no signature by this key")
		}
		_, err = stdout.Write(payload)
		return err
	default:
		return errors.New("usage: dsse-interop sign <private-key.pem> <payload-type> <keyid> | dsse-interop verify <public-key.pem>")
	}
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dsse-interop:", err)
		os.Exit(1)
	}
}
