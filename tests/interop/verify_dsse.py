"""Verify a countersign attestation with securesystemslib's DSSE implementation.

Usage: verify_dsse.py ENVELOPE_FILE PUBLIC_KEY_HEX KEYID

ENVELOPE_FILE holds the DSSE JSON envelope, PUBLIC_KEY_HEX the raw 32-byte ed25519 public key
in hex, KEYID the key id the envelope's signature names (the OpenSSH SHA256 fingerprint).
Exit 0 and print the statement's predicateType when the signature verifies; exit 1 when it
does not.
"""

import json
import sys

from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey


def main() -> int:
    envelope_file, public_hex, keyid = sys.argv[1:4]
    with open(envelope_file, "rb") as f:
        envelope = Envelope.from_dict(json.load(f))
    key = SSlibKey(keyid, "ed25519", "ed25519", {"public": public_hex})
    try:
        envelope.verify([key], 1)
    except VerificationError as e:
        print(f"not verified: {e}", file=sys.stderr)
        return 1
    if envelope.payload_type != "application/vnd.in-toto+json":
        print(f"unexpected payload type {envelope.payload_type}", file=sys.stderr)
        return 1
    print(json.loads(envelope.payload)["predicateType"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
