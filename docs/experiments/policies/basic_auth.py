import os, sys, warnings; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); warnings.simplefilter("ignore")
from nginxlab import *
import crypt, hashlib, base64, ctypes, subprocess
pw = "s3cret pass"
def op(flag): return subprocess.run(["openssl", "passwd", flag, "-salt", "saltsalt", pw], capture_output=True, text=True).stdout.strip()
lc = ctypes.CDLL("libcrypt.so.1")
lc.crypt_gensalt.restype = ctypes.c_char_p
lc.crypt.restype = ctypes.c_char_p
def xcrypt(prefix):
    salt = lc.crypt_gensalt(prefix.encode(), 0, None, 0)
    return lc.crypt(pw.encode(), salt).decode()
salt = b"abcd"
hashes = {
    "plain": "{PLAIN}" + pw,
    "sha": "{SHA}" + base64.b64encode(hashlib.sha1(pw.encode()).digest()).decode(),
    "ssha": "{SSHA}" + base64.b64encode(hashlib.sha1(pw.encode() + salt).digest() + salt).decode(),
    "apr1": op("-apr1"),
    "md5crypt": op("-1"),
    "sha256crypt": op("-5"),
    "sha512crypt": op("-6"),
    "bcrypt2b": xcrypt("$2b$"),
    "bcrypt2y": xcrypt("$2y$"),
    "bcrypt2a": xcrypt("$2a$"),
    "yescrypt": xcrypt("$y$"),
    "scrypt7": xcrypt("$7$"),
    "gost_yescrypt": xcrypt("$gy$"),
    "des": crypt.crypt(pw, "ab"),
    "bsdi_ext_des": xcrypt("_"),
    "sunmd5": xcrypt("$md5"),
    "nthash": xcrypt("$3$"),
    "sha1crypt": xcrypt("$sha1"),
    "raw_no_scheme": pw,
    "broken_sha512": "$6$",
    "empty": "",
}
lines = []
for user, h in hashes.items():
    lines.append(f"{user}:{h}")
lines.append("# a comment line")
lines.append("commented:{PLAIN}x  ")
lines.append("withcomment:{PLAIN}" + pw + ":extra-field")
d = WORK + "/htpasswd"; open(d, "w").write("\n".join(lines) + "\n")
echo, ep = serve(Echo, "app")
port = free_port()
conf = f"""
server {{ listen 127.0.0.1:{port};
  location / {{ error_page 418 = @a; return 418; }}
  location @a {{ auth_basic "Realm \\"x\\""; auth_basic_user_file {d}; proxy_set_header Authorization ""; proxy_pass http://127.0.0.1:{ep}; }}
}}"""
n = Nginx(conf)
u = f"http://127.0.0.1:{port}/"
s, h, b = curl(u)
check("no credentials -> 401 with WWW-Authenticate Basic realm", s == 401 and h.get("www-authenticate", [""])[0].startswith('Basic realm="Realm'), (s, h))
print("   realm header:", h.get("www-authenticate"))
for user, hsh in hashes.items():
    s, h, b = curl("-u", f"{user}:{pw}", u)
    s2, _, _ = curl("-u", f"{user}:wrong", u)
    print(f"   {user:14} {hsh[:24]:26} right={s} wrong={s2}")
    usable = user not in ("raw_no_scheme", "broken_sha512", "empty")
    check(f"{user}: {'verifies' if usable else 'never matches'}", (s, s2) == ((200, 401) if usable else (401, 401)), (s, s2))
    if s == 200:
        check(f"backend does not see Authorization ({user})", "Authorization" not in json.loads(b)["headers"])
s, h, b = curl("-u", f"withcomment:{pw}", u); check("text after a second ':' is ignored", s == 200, s)
n.stop()
