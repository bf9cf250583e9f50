window.YTD.account.part0 = [
  {
    "account": {
      "username": "frontline_watch",
      "accountDisplayName": "Frontline Watch"
    }
  }
]
