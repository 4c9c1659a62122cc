extension PasswordPolicy {
    /// The passwords refused by default: the most common passwords of the published breach lists
    /// (the top of SecLists' and NordPass's yearly lists), the Indonesian favourites found in the
    /// same lists ("bismillah", "sayang", "indonesia", "merdeka45", …) and the names of this very
    /// service ("dapodik", "datadik", "operator123"), as NIST SP 800-63B §5.1.1.2 asks for
    /// "context-specific words". Entries shorter than 8 characters are kept: a policy with a
    /// lower minimum still refuses them. Lower-case; compared after NFKC and lower-casing.
    public static let defaultCommonPasswords: Set<String> = [
        "123456", "123456789", "12345678", "1234567890", "1234567", "12345", "123123", "123123123", "123321",
        "111111", "000000", "654321", "666666", "121212", "987654321", "11111111", "00000000", "88888888",
        "87654321", "12341234", "11223344", "112233", "147258369", "159753", "741852963", "123654789", "789456123",
        "99999999", "12121212", "22222222", "55555555", "66666666", "77777777", "1234512345", "123456a",
        "123456abc", "a1b2c3d4", "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd",
        "p@ssword", "pass1234", "qwerty", "qwerty1", "qwerty12", "qwerty123", "qwertyuiop", "qwer1234", "1234qwer",
        "q1w2e3r4", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qazxsw2", "zaq12wsx", "qwe123", "qweasdzxc",
        "asdfghjkl", "asdf1234", "asdfasdf", "zxcvbnm", "zxcvbnm123", "abc123", "abcd1234", "abc12345", "iloveyou",
        "iloveyou1", "secret", "admin", "admin123", "admin1234", "administrator", "welcome", "welcome1",
        "welcome123", "letmein", "sunshine", "princess", "football", "baseball", "superman", "batman", "trustno1",
        "master", "shadow", "michael", "jennifer", "charlie", "whatever", "starwars", "hello123", "freedom",
        "computer", "internet", "changeme", "default", "guest", "test1234", "testing", "test123", "login",
        "loveyou", "lovely", "flower", "monkey", "dragon", "indonesia", "indonesia1", "indonesia123",
        "indonesiaraya", "bismillah", "bismillah1", "bismillah123", "bismillah12", "alhamdulillah",
        "assalamualaikum", "insyaallah", "subhanallah", "allahuakbar", "astaghfirullah", "masyaallah", "sayang",
        "sayangku", "sayang123", "sayangkamu", "sayangku123", "cintaku", "cinta123", "cintaku123", "akucintakamu",
        "kucing", "kucing123", "doraemon", "rahasia", "rahasia123", "rahasiaku", "katasandi", "katasandi123",
        "sandi123", "merdeka", "merdeka45", "merdeka1945", "garuda", "garuda123", "pancasila", "jakarta",
        "jakarta123", "bandung", "bandung123", "surabaya", "semarang", "yogyakarta", "dapodik", "dapodik123",
        "dapodik2021", "dapodik2022", "dapodik2023", "dapodik2024", "dapodik2025", "dapodik2026", "datadik",
        "datadik123", "verifikasi", "operator", "operator123", "operatorsekolah", "sekolah", "sekolah123", "guru",
        "guru123", "guru1234", "guru12345", "gurusd", "gurusd123", "kepalasekolah", "ptk12345", "ptk123456",
        "pendidikan", "kemdikbud", "kemendikbud", "kemdikbudristek", "belajar", "belajar123", "belajarid",
        "siswa123", "sdnegeri", "smpnegeri", "smanegeri", "persib", "persija", "persebaya", "arema", "juventus",
        "barcelona", "liverpool", "chelsea", "manchester", "ronaldo", "naruto", "onepiece", "sasuke", "mamah",
        "mamahku", "mamaku", "ibuku", "ibuku123", "bapakku", "ayahku", "anakku", "keluarga", "rumahku", "selamat",
        "selamanya", "bidadari", "matahari", "bulanbintang", "semangat", "sukses", "sukses123", "berhasil",
        "barokah", "berkah", "amanah", "ikhlas", "sabar", "kenangan", "tuhanyesus", "haleluya",
    ]
}
