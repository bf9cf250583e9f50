window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1980878123456789012",
      "full_text": "BREAKING: Russian drones struck a residential building in Kharkiv overnight, injuring at least 9 people, including two children, the regional governor said. #Kharkiv",
      "created_at": "Wed Oct 22 06:02:11 +0000 2025",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "id_str": "1980915987654321098",
      "full_text": "Update: Ukraine's air force says 14 of 18 Shahed drones launched overnight were shot down. One person was killed in Kharkiv, the governor said.",
      "created_at": "Wed Oct 22 08:32:45 +0000 2025",
      "lang": "en"
    }
  }
]
